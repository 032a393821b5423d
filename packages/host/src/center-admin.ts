import { CenterImportRequest, centerConfigToCsv } from '@switchboard/contracts';
import { getCenterConfig, importCenterConfig } from '@switchboard/db';
import { invalidInput, resolveTenant, TenantRef, tenantNotFound, type OperatorAnswer, type ProvisioningStores } from './provisioning.ts';

/**
 * `npm run -s admin -- config import|export`: a center's configuration in and out, as JSON
 * (CenterConfig) or the CSV files of docs/center-import.md. The CLI reads and writes the
 * files; the host only sees their contents.
 */

const ImportRequest = CenterImportRequest.and(TenantRef);

async function exportConfig(stores: ProvisioningStores, body: unknown): Promise<OperatorAnswer> {
  const ref = TenantRef.safeParse(body);
  if (!ref.success) return invalidInput(ref.error);
  const tenant = await resolveTenant(stores.db, ref.data.tenant);
  if (!tenant) return tenantNotFound(ref.data.tenant);
  const config = (await getCenterConfig(stores.db, tenant.id))!;
  return { status: 200, body: { config, csv: centerConfigToCsv(config) } };
}

/** An import as an operator's act (see importCenterConfig). */
async function importConfig(stores: ProvisioningStores, body: unknown): Promise<OperatorAnswer> {
  const request = ImportRequest.safeParse(body);
  if (!request.success) return invalidInput(request.error);
  const { tenant: name, json, csv, dryRun } = request.data;
  const tenant = await resolveTenant(stores.db, name);
  if (!tenant) return tenantNotFound(name);
  const result = await importCenterConfig(stores.db, tenant, csv ? { csv } : { json }, { dryRun, actorId: null });
  if ('problems' in result) return refused(result.problems);
  return { status: 200, body: result };
}

const refused = (problems: unknown[]): OperatorAnswer => ({
  status: 422,
  body: { error: 'invalid_import', message: `the import was refused: ${problems.length} problem(s), nothing was changed`, problems },
});

export const configActions: Record<string, (stores: ProvisioningStores, body: unknown) => Promise<OperatorAnswer>> = {
  'config/export': exportConfig,
  'config/import': importConfig,
};
