import { z } from 'zod';
import {
  CenterConfig,
  centerConfigToCsv,
  centerLists,
  diffCenterConfig,
  formatCenterDiff,
  mergeCenterConfig,
  parseCenterCsv,
  validateCenterConfig,
  type CenterList,
} from '@switchboard/contracts';
import { getCenterConfig, seedTenant } from '@switchboard/db';
import { invalidInput, resolveTenant, TenantRef, tenantNotFound, type OperatorAnswer, type ProvisioningStores } from './provisioning.ts';

/**
 * `npm run -s admin -- config import|export`: a center's configuration in and out, as JSON
 * (CenterConfig) or the CSV files of docs/center-import.md. The CLI reads and writes the
 * files; the host only sees their contents.
 */

const CsvFiles = z.partialRecord(z.enum(centerLists), z.string().max(20_000_000));

const ImportRequest = TenantRef.extend({
  /** A whole CenterConfig (JSON import) … */
  json: z.unknown().optional(),
  /** … or some of the CSV files, by list. */
  csv: CsvFiles.optional(),
  dryRun: z.boolean().default(false),
}).refine((r) => (r.json === undefined) !== (r.csv === undefined), { message: 'send either json or csv files' });

async function exportConfig(stores: ProvisioningStores, body: unknown): Promise<OperatorAnswer> {
  const ref = TenantRef.safeParse(body);
  if (!ref.success) return invalidInput(ref.error);
  const tenant = await resolveTenant(stores.db, ref.data.tenant);
  if (!tenant) return tenantNotFound(ref.data.tenant);
  const config = (await getCenterConfig(stores.db, tenant.id))!;
  return { status: 200, body: { config, csv: centerConfigToCsv(config) } };
}

/**
 * Checks an import as a whole against what the tenant has (every problem, by file, row and
 * column), shows what it would change, and, unless a dry run, applies it in one transaction,
 * audited. Imports add and change; they never delete (see seedTenant).
 */
async function importConfig(stores: ProvisioningStores, body: unknown): Promise<OperatorAnswer> {
  const request = ImportRequest.safeParse(body);
  if (!request.success) return invalidInput(request.error);
  const { tenant: name, json, csv, dryRun } = request.data;
  const tenant = await resolveTenant(stores.db, name);
  if (!tenant) return tenantNotFound(name);
  const existing = (await getCenterConfig(stores.db, tenant.id))!;
  let incoming: CenterConfig;
  let lists: readonly CenterList[] = centerLists;
  if (csv) {
    const parsed = parseCenterCsv(csv, existing.timezone, existing);
    if ('problems' in parsed) return refused(parsed.problems);
    ({ config: incoming, lists } = parsed);
  } else {
    const problems = validateCenterConfig(json, existing);
    if (problems.length > 0) return refused(problems);
    incoming = CenterConfig.parse(json);
  }
  const diff = diffCenterConfig(existing, incoming, lists);
  if (!dryRun) {
    await seedTenant(stores.db, {
      slug: tenant.slug,
      name: tenant.name,
      config: mergeCenterConfig(existing, incoming),
      audit: { action: 'center_config.import', userId: null },
    });
  }
  return { status: 200, body: { applied: !dryRun, diff: formatCenterDiff(diff) } };
}

const refused = (problems: unknown[]): OperatorAnswer => ({
  status: 422,
  body: { error: 'invalid_import', message: `the import was refused: ${problems.length} problem(s), nothing was changed`, problems },
});

export const configActions: Record<string, (stores: ProvisioningStores, body: unknown) => Promise<OperatorAnswer>> = {
  'config/export': exportConfig,
  'config/import': importConfig,
};
