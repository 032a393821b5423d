import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { ensureMember, forgetMemberships, type Auth } from '@switchboard/api';
import { isTimeZone } from '@switchboard/calendar';
import {
  createApiKey,
  getTenantById,
  getTenantBySlug,
  listPendingMail,
  listTenants,
  provisionTenant,
  setTenantDisabled,
  takeFailedMail,
  takeOutbox,
  userExists,
  type Db,
  type OutboxMail,
  type Tenant,
} from '@switchboard/db';
import { HolidayRegionCode } from '@switchboard/planning';

/**
 * What operators do to tenants (`npm run -s admin -- tenant …`): the same functions whether
 * the CLI goes through the running host or opens the stores itself.
 */

const weekdayNames = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;

/** `mon`, `Monday`, or `0`–`6` (0 = Sunday): how an operator names the first day of the week. */
const WeekStart = z.union([z.number(), z.string()]).transform((value, ctx) => {
  const text = String(value).trim().toLowerCase();
  if (/^[0-6]$/.test(text)) return Number(text);
  const index = text.length >= 3 ? weekdayNames.findIndex((name) => name.startsWith(text)) : -1;
  if (index >= 0) return index;
  ctx.addIssue({ code: 'custom', message: `"${value}" is not a weekday: use mon, sun, sat … or 0–6 (0 = Sunday)` });
  return z.NEVER;
});

const Slug = z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'lowercase letters, digits and - only, 2 to 63 characters');

/** A slug from a name: `Acme Care (UK)` → `acme-care-uk`. */
function slugify(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63);
}

const TenantCreateInput = z
  .object({
    name: z.string().trim().min(1, 'give the center a name').max(100),
    slug: Slug.optional(),
    timeZone: z.string().refine(isTimeZone, { message: 'not an IANA time zone (e.g. Europe/London, America/New_York)' }),
    weekStart: WeekStart.default(1),
    holidays: HolidayRegionCode.optional(),
    adminEmail: z.email('give the first administrator an e-mail address'),
    adminName: z.string().trim().min(1).max(100).default('Administrator'),
  })
  .transform((input, ctx) => {
    const slug = input.slug ?? slugify(input.name);
    if (!Slug.safeParse(slug).success) {
      ctx.addIssue({ code: 'custom', path: ['slug'], message: `cannot make a slug from "${input.name}": give one with --slug` });
      return z.NEVER;
    }
    return { ...input, slug };
  });
type TenantCreateRequest = z.output<typeof TenantCreateInput>;

export interface ProvisionedTenant {
  tenant: { id: string; slug: string; name: string; timezone: string; weekStart: number; holidayRegion: string | null };
  admin: { email: string; password: string };
  /** Shown once: only its hash is kept. */
  apiKey: string;
}

export interface ProvisioningStores {
  db: Db;
  auth: Auth;
  /** Called after a tenant is disabled or enabled: the host forgets the API keys it has checked. */
  afterTenantChange?: () => void;
  /** Mail goes by SMTP (SWITCHBOARD_SMTP_URL): the outbox hands the operator only what SMTP gave up on. */
  mailBySmtp?: boolean;
}

/** A provisioning request refused for what it asks (a taken slug or e-mail), not for a fault. */
class ProvisioningError extends Error {
  constructor(
    readonly code: 'slug_taken' | 'email_taken',
    message: string,
  ) {
    super(message);
  }
}

/**
 * Creates a tenant, its first administrator with a random password, and an ingest API key.
 * The password and key are returned once and stored only as hashes.
 */
async function createTenantWithAdmin(stores: ProvisioningStores, input: TenantCreateRequest): Promise<ProvisionedTenant> {
  // A user belongs to one tenant, and better-auth would reset an existing user's password.
  if (await userExists(stores.db, input.adminEmail)) {
    throw new ProvisioningError('email_taken', `${input.adminEmail} already has an account; each person belongs to one tenant`);
  }
  const tenant = await provisionTenant(stores.db, {
    slug: input.slug,
    name: input.name,
    timezone: input.timeZone,
    weekStart: input.weekStart,
    holidayRegion: input.holidays ?? null,
  });
  if (!tenant) throw new ProvisioningError('slug_taken', `a tenant "${input.slug}" exists already; choose another --slug`);
  const password = randomBytes(12).toString('base64url');
  await ensureMember(stores.auth, stores.db, { email: input.adminEmail, name: input.adminName, password, role: 'admin', tenantId: tenant.id });
  const { key } = await createApiKey(stores.db, tenant.id, 'first key (tenant create)');
  return {
    tenant: {
      id: tenant.id,
      slug: tenant.slug,
      name: tenant.name,
      timezone: tenant.timezone,
      weekStart: tenant.weekStart,
      holidayRegion: input.holidays ?? null,
    },
    admin: { email: input.adminEmail, password },
    apiKey: key,
  };
}

/** An operator action's answer: an HTTP status and a JSON body, the same through the host or not. */
export interface OperatorAnswer {
  status: number;
  body: Record<string, unknown>;
}

/** A 400 naming every problem: `issues` for callers that name fields their own way (the CLI's options). */
export function invalidInput(error: z.ZodError): OperatorAnswer {
  const issues = error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  return { status: 400, body: { error: 'invalid_input', message: issues.map((i) => `${i.path || 'input'}: ${i.message}`).join('; '), issues } };
}

/** The body of an action on one tenant. */
export const TenantRef = z.object({ tenant: z.string().min(1).max(200) });

/** Operators name a tenant by id or by slug. */
export async function resolveTenant(db: Db, idOrSlug: string): Promise<Tenant | null> {
  return z.uuid().safeParse(idOrSlug).success ? getTenantById(db, idOrSlug) : getTenantBySlug(db, idOrSlug);
}

/** The 404 of an action naming a tenant that does not exist. */
export const tenantNotFound = (name: string): OperatorAnswer => ({ status: 404, body: { error: 'tenant_not_found', message: `no tenant ${name}` } });

async function setTenantState(stores: ProvisioningStores, body: unknown, disabled: boolean): Promise<OperatorAnswer> {
  const ref = TenantRef.safeParse(body);
  if (!ref.success) return invalidInput(ref.error);
  const tenant = await resolveTenant(stores.db, ref.data.tenant);
  if (!tenant) return tenantNotFound(ref.data.tenant);
  const changed = await setTenantDisabled(stores.db, tenant.id, disabled);
  stores.afterTenantChange?.();
  // Its members are refused (or let back in) from their next request through this process, not when the cache runs out.
  forgetMemberships(stores.auth);
  return { status: 200, body: { changed } };
}

/** The tenant actions of `npm run -s admin -- tenant …`, by operator path. */
export const tenantActions: Record<string, (stores: ProvisioningStores, body: unknown) => Promise<OperatorAnswer>> = {
  'tenants/list': async (stores) => ({ status: 200, body: { tenants: await listTenants(stores.db) } }),
  'tenants/create': async (stores, body) => {
    const input = TenantCreateInput.safeParse(body);
    if (!input.success) return invalidInput(input.error);
    try {
      return { status: 200, body: { ...(await createTenantWithAdmin(stores, input.data)) } };
    } catch (error) {
      if (error instanceof ProvisioningError) return { status: 409, body: { error: error.code, message: error.message } };
      throw error;
    }
  },
  'tenants/disable': (stores, body) => setTenantState(stores, body, true),
  'tenants/enable': (stores, body) => setTenantState(stores, body, false),
  'outbox/take': async (stores, body) => {
    const ref = TenantRef.partial().safeParse(body);
    if (!ref.success) return invalidInput(ref.error);
    const tenant = ref.data.tenant ? await resolveTenant(stores.db, ref.data.tenant) : undefined;
    if (tenant === null) return tenantNotFound(ref.data.tenant!);
    const shown = (m: OutboxMail) => ({ to: m.recipient, kind: m.kind, subject: m.subject, body: m.body, createdAt: m.createdAt });
    if (!stores.mailBySmtp) return { status: 200, body: { mail: (await takeOutbox(stores.db, tenant?.id)).map(shown) } };
    const failed = await takeFailedMail(stores.db, tenant?.id);
    const pending = await listPendingMail(stores.db, tenant?.id);
    return {
      status: 200,
      body: {
        smtp: true,
        mail: failed.map((m) => ({ ...shown(m), attempts: m.attempts, error: m.lastError })),
        // Still the sender's to deliver: no content, so nothing the operator could send twice.
        pending: pending.map((m) => ({
          to: m.recipient,
          kind: m.kind,
          subject: m.subject,
          createdAt: m.createdAt,
          attempts: m.attempts,
          error: m.lastError,
          nextAttemptAt: m.nextAttemptAt,
        })),
      },
    };
  },
};
