import { TRPCError } from '@trpc/server';
import { ensureBuiltInForm, getFormVersion, listForms, listFormVersions, saveFormVersion } from '@switchboard/db';
import { FormInvalidError, parseForm, ScoringInput, scoreInteraction, standardForm, type FormDefinition } from '@switchboard/quality';
import { z } from 'zod';
import type { ApiServices } from '../context.ts';
import { notFound, type Access } from '../trpc.ts';

/**
 * The analysts' form designer: forms by key, one version with its history, an edited form checked as a whole and
 * saved as a new version (a version in use stays as it was), and a form tried on a pasted transcript before saving.
 */

/** The built-in template's key, as the evaluation workflow stores it. */
const STANDARD_KEY = 'standard';

const FormKey = z.string().regex(/^[a-z][a-z0-9-]{0,63}$/, 'lower-case letters, digits and -, starting with a letter, at most 64');
const Definition = z.record(z.string(), z.unknown());

/**
 * The standard form is version 1 of its key from the designer's first look, as it is from the first evaluation, so
 * an analyst's first edit of it is version 2 whichever comes first.
 */
function ensureStandardForm(services: ApiServices, tenantId: string) {
  return ensureBuiltInForm(services.db, tenantId, {
    key: STANDARD_KEY,
    name: standardForm.name,
    definition: standardForm as unknown as Record<string, unknown>,
  });
}

/** A form checked as a whole; refused with every problem in the message, and each as an issue the designer lists. */
function checkedForm(definition: Record<string, unknown>): FormDefinition {
  try {
    return parseForm(definition);
  } catch (error) {
    if (!(error instanceof FormInvalidError)) throw error;
    // The error formatter passes a zod cause's issues on, as for any input refused.
    const issues = error.problems.map((message) => ({ code: 'custom' as const, path: ['definition'], message, input: definition }));
    throw new TRPCError({ code: 'BAD_REQUEST', message: error.message, cause: new z.ZodRealError(issues) });
  }
}

export async function listQualityForms(services: ApiServices, access: Access) {
  await ensureStandardForm(services, access.tenantId);
  const forms = await listForms(services.db, access.tenantId);
  return forms.map((f) => ({
    key: f.key,
    name: f.name,
    version: f.version,
    versions: f.versions,
    used: f.used,
    builtIn: f.builtIn,
    savedAt: f.createdAt.toISOString(),
  }));
}

export const FormVersionInput = z.object({ key: FormKey, version: z.int().min(1).optional() });

/** One version of a form (the latest unless asked) with its definition, and every version of its key. */
export async function getQualityForm(services: ApiServices, access: Access, input: z.infer<typeof FormVersionInput>) {
  if (input.key === STANDARD_KEY) await ensureStandardForm(services, access.tenantId);
  const versions = await listFormVersions(services.db, access.tenantId, input.key);
  const summary = input.version === undefined ? versions[0] : versions.find((v) => v.version === input.version);
  const row = summary && (await getFormVersion(services.db, access.tenantId, summary.id));
  if (!summary || !row) throw notFound('form version');
  return {
    id: row.id,
    key: row.key,
    version: row.version,
    name: row.name,
    builtIn: row.builtIn,
    used: summary.used,
    savedAt: row.createdAt.toISOString(),
    versions: versions.map((v) => ({ version: v.version, name: v.name, builtIn: v.builtIn, used: v.used, savedAt: v.createdAt.toISOString() })),
    definition: parseForm(row.definition),
  };
}

export const SaveFormInput = z.object({ key: FormKey, name: z.string().trim().min(1).max(200), definition: Definition });

/** Saves an edited form as the next version of its key; the name given is the form's name. */
export async function saveQualityForm(services: ApiServices, access: Access, userId: string, input: z.infer<typeof SaveFormInput>) {
  const form = checkedForm({ ...input.definition, name: input.name });
  if (input.key === STANDARD_KEY) await ensureStandardForm(services, access.tenantId);
  const row = await saveFormVersion(services.db, access.tenantId, userId, {
    key: input.key,
    name: form.name,
    definition: form as unknown as Record<string, unknown>,
  });
  return { id: row.id, key: row.key, version: row.version, name: row.name, savedAt: row.createdAt.toISOString() };
}

export const PreviewInput = z.object({ definition: Definition, transcript: ScoringInput.omit({ interaction_id: true }) });

/** What the form's rules answer for a pasted transcript, and the score those answers make; nothing is stored. */
export function previewQualityForm(input: z.infer<typeof PreviewInput>) {
  const form = checkedForm(input.definition);
  return scoreInteraction(form, { ...input.transcript, interaction_id: 'preview' });
}
