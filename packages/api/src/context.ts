import type { TelemetryStore } from '@switchboard/telemetry';
import type { Db, Membership } from '@switchboard/db';
import type { Auth } from './auth.ts';
import type { DirectoryCache } from './directory-cache.ts';
import type { PlanningRunner } from './planning-runner.ts';
import type { LiveCache } from './services.ts';

/** What every procedure can reach: the stores and the clock. */
export interface ApiServices {
  db: Db;
  telemetry: TelemetryStore['client'];
  directory: DirectoryCache;
  live: LiveCache;
  /** Reports asked for by several viewers at once, computed once (see REPORT_MAX_AGE_MS). */
  reports: LiveCache;
  now(): Date;
  /** Starts and lists planning workflows; null without a workflow engine. */
  planning: PlanningRunner | null;
}

export interface Context {
  services: ApiServices;
  /** The signed-in member, or null for an anonymous request or a user with no membership. */
  viewer: Membership | null;
}

/** Resolves the viewer of a request from its session cookie. */
export async function resolveViewer(auth: Auth, membership: (userId: string) => Promise<Membership | null>, headers: Headers): Promise<Membership | null> {
  const session = await auth.api.getSession({ headers });
  if (!session) return null;
  return membership(session.user.id);
}
