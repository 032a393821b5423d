import { z } from 'zod';
import { Client, Connection } from '@temporalio/client';
import { customerRefHash, runErasure } from '@switchboard/workflows';
import type { AdminStores } from './history-import.ts';
import { invalidInput, resolveTenant, tenantNotFound, type OperatorAnswer } from './provisioning.ts';

/**
 * `npm run -s admin -- erase customer --tenant T --customer-ref R`: a customer's personal data erased by the
 * erasure workflow (workflows/src/workflows.ts, erasureWorkflow). The reference is hashed here, with the tenant, and
 * only the hash goes to Temporal (SECURITY.md, Erasure); the answer names the hash, the rows changed per table and the
 * audit certificate, never the reference. Only a host running the workflow worker can do it.
 */

export interface ErasureRunner {
  erase(input: { tenantId: string; refHash: string }): Promise<{ workflowId: string; counts: Record<string, number>; certified: boolean }>;
}

/** Starts erasures on the host's Temporal: a connection per erasure, which is rare and waits for its run anyway. */
export function createErasureRunner(env: { TEMPORAL_ADDRESS: string; TEMPORAL_NAMESPACE: string }): ErasureRunner {
  return {
    async erase(input) {
      const connection = await Connection.connect({ address: env.TEMPORAL_ADDRESS });
      try {
        return await runErasure(new Client({ connection, namespace: env.TEMPORAL_NAMESPACE }), input);
      } finally {
        await connection.close();
      }
    },
  };
}

/** The stores of the erasure action: the host passes its runner when it runs the workflow worker. */
interface ErasureStores extends AdminStores {
  erasure?: ErasureRunner | undefined;
}

const EraseCustomerInput = z.object({
  tenant: z.string().min(1).max(200),
  // The event schema's limit on an id (packages/contracts, customer_ref).
  customerRef: z.string().min(1).max(128),
});

async function eraseCustomer(stores: ErasureStores, body: unknown): Promise<OperatorAnswer> {
  const request = EraseCustomerInput.safeParse(body);
  if (!request.success) return invalidInput(request.error);
  const tenant = await resolveTenant(stores.db, request.data.tenant);
  if (!tenant) return tenantNotFound(request.data.tenant);
  if (!stores.erasure) {
    return {
      status: 503,
      body: {
        error: 'workflows_unavailable',
        message: 'erasure runs as a Temporal workflow on the running host: start the host with TEMPORAL_ADDRESS set (npm start does) and run the command again',
      },
    };
  }
  const refHash = customerRefHash(tenant.id, request.data.customerRef);
  const result = await stores.erasure.erase({ tenantId: tenant.id, refHash });
  return { status: 200, body: { tenantId: tenant.id, refHash, ...result } };
}

export const erasureActions: Record<string, (stores: ErasureStores, body: unknown) => Promise<OperatorAnswer>> = {
  'erasure/customer': eraseCustomer,
};
