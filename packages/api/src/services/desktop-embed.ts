import { z } from 'zod';
import { getDesktopEmbedSettings, setDesktopFrameAncestors } from '@switchboard/db';
import type { ApiServices } from '../context.ts';
import type { Access } from '../trpc.ts';

const MAX_FRAME_ANCESTORS = 10;
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * One origin allowed to frame the desktop panel, as CSP frame-ancestors takes it: https (http only on this machine's
 * loopback, for trying it out), a host with an optional `*.` wildcard label in front and a port, nothing else — no
 * path, no `*` alone, no keyword — so an admin cannot open the panel to every site by a slip.
 */
const FrameAncestor = z
  .string()
  .trim()
  .max(253)
  .regex(
    /^(https:\/\/(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)*|http:\/\/(localhost|127\.0\.0\.1|\[::1\]))(:\d{1,5})?$/i,
    'an origin such as https://crm.example.com or https://*.example.com:8443 (scheme, host, optional port; no path; http only for localhost)',
  )
  .transform((origin) => origin.toLowerCase())
  .refine((origin) => !origin.startsWith('http://') || LOOPBACK.has(new URL(origin).hostname), 'http only for localhost');

export const FrameAncestorsInput = z.object({
  origins: z
    .array(FrameAncestor)
    .max(MAX_FRAME_ANCESTORS, `at most ${MAX_FRAME_ANCESTORS} origins`)
    .transform((origins) => [...new Set(origins)]),
});

/** Where the panel may be embedded: the tenant's embed page and the origins allowed to frame it. */
export async function getDesktopEmbedView(services: ApiServices, access: Access) {
  const settings = await getDesktopEmbedSettings(services.db, access.tenantId);
  return { pagePath: `/desktop/embed/${settings.slug}`, frameAncestors: settings.frameAncestors };
}

export async function setFrameAncestorsView(services: ApiServices, access: Access, actorId: string, input: z.infer<typeof FrameAncestorsInput>) {
  await setDesktopFrameAncestors(services.db, access.tenantId, actorId, input.origins);
  return getDesktopEmbedView(services, access);
}
