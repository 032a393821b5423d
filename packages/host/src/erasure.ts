import { z } from 'zod';
import { Client, Connection } from '@temporalio/client';
import { findAgentForErasure } from '@switchboard/db';
import { customerRefHash, runAgentErasure, runErasure } from '@switchboard/workflows';
import type { AdminStores } from './history-import.ts';
import { invalidInput, resolveTenant, tenantNotFound, type OperatorAnswer } from './provisioning.ts';

/**
 * `npm run -s admin -- erase customer --tenant T --customer-ref R`: a customer's personal data erased by the
 * erasure workflow (workflows/src/workflows.ts, erasureWorkflow). The reference is hashed here, with the tenant, and
 * only the hash goes to Temporal (SECURITY.md, Erasure); the answer names the hash, the rows changed per table and the
 * audit certificate, never the reference. Only a host running the workflow worker can do it.
 *
 * `npm run -s admin -- erase agent --tenant T --agent KEY`: a departed agent's personal data erased by
 * agentErasureWorkflow, their key and aggregate history kept. Only the agent's id goes to Temporal. Refused for an
 * agent who has not left (see departureProblems) before anything starts.
 */

interface ErasureOutcome {
  workflowId: string;
  counts: Record<string, number>;
  certified: boolean;
}

export interface ErasureRunner {
  erase(input: { tenantId: string; refHash: string }): Promise<ErasureOutcome>;
  eraseAgent(input: { tenantId: string; agentId: string }): Promise<ErasureOutcome>;
}

/** Starts erasures on the host's Temporal: a connection per erasure, which is rare and waits for its run anyway. */
export function createErasureRunner(env: { TEMPORAL_ADDRESS: string; TEMPORAL_NAMESPACE: string }): ErasureRunner {
  const withClient = async <T>(work: (client: Client) => Promise<T>): Promise<T> => {
    const connection = await Connection.connect({ address: env.TEMPORAL_ADDRESS });
    try {
      return await work(new Client({ connection, namespace: env.TEMPORAL_NAMESPACE }));
    } finally {
      await connection.close();
    }
  };
  return {
    erase: (input) => withClient((client) => runErasure(client, input)),
    eraseAgent: (input) => withClient((client) => runAgentErasure(client, input)),
  };
}

/** The stores of the erasure action: the host passes its runner when it runs the workflow worker. */
interface ErasureStores extends AdminStores {
  erasure?: ErasureRunner | undefined;
}

const workflowsUnavailable: OperatorAnswer = {
  status: 503,
  body: {
    error: 'workflows_unavailable',
    message: 'erasure runs as a Temporal workflow on the running host: start the host with TEMPORAL_ADDRESS set (npm start does) and run the command again',
  },
};

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
  if (!stores.erasure) return workflowsUnavailable;
  const refHash = customerRefHash(tenant.id, request.data.customerRef);
  const result = await stores.erasure.erase({ tenantId: tenant.id, refHash });
  return { status: 200, body: { tenantId: tenant.id, refHash, ...result } };
}

const EraseAgentInput = z.object({
  tenant: z.string().min(1).max(200),
  // The agent's key (the center configuration's id), as events carry it.
  agent: z.string().min(1).max(128),
});

/**
 * Why an agent has not left, in words for the operator (no name: the key says who): a member linked to them who is
 * not deactivated, or a shift on a published schedule today or later. Empty when they have left.
 */
function departureProblems(agent: { key: string; activeMembers: number; scheduledFrom: string | null }): string[] {
  return [
    ...(agent.activeMembers > 0
      ? [`${agent.activeMembers} member(s) linked to agent ${agent.key} are not deactivated: deactivate them under Administration → People first`]
      : []),
    ...(agent.scheduledFrom
      ? [`agent ${agent.key} has shifts on a published schedule from ${agent.scheduledFrom}: take them off it (or wait until it has passed) first`]
      : []),
  ];
}

async function eraseAgent(stores: ErasureStores, body: unknown): Promise<OperatorAnswer> {
  const request = EraseAgentInput.safeParse(body);
  if (!request.success) return invalidInput(request.error);
  const tenant = await resolveTenant(stores.db, request.data.tenant);
  if (!tenant) return tenantNotFound(request.data.tenant);
  const agent = await findAgentForErasure(stores.db, tenant.id, { key: request.data.agent });
  if (!agent) return { status: 404, body: { error: 'agent_not_found', message: `no agent ${request.data.agent} in tenant ${tenant.slug}` } };
  const problems = departureProblems(agent);
  if (problems.length > 0) {
    return { status: 409, body: { error: 'agent_not_departed', message: `agent ${agent.key} has not left, nothing was erased: ${problems.join('; ')}` } };
  }
  if (!stores.erasure) return workflowsUnavailable;
  const result = await stores.erasure.eraseAgent({ tenantId: tenant.id, agentId: agent.agentId });
  return { status: 200, body: { tenantId: tenant.id, agentId: agent.agentId, agentKey: agent.key, ...result } };
}

export const erasureActions: Record<string, (stores: ErasureStores, body: unknown) => Promise<OperatorAnswer>> = {
  'erasure/customer': eraseCustomer,
  'erasure/agent': eraseAgent,
};
