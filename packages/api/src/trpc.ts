import { initTRPC, TRPCError } from '@trpc/server';
import type { Directory, Membership } from '@switchboard/db';
import { z } from 'zod';
import type { Context } from './context.ts';
import { holdsNul, NUL_REFUSAL } from './input-guard.ts';
import type { Policy, ProcedureMeta, Scope } from './policy.ts';

/**
 * Errors are mapped once, here: input errors keep their issues (machine-readable),
 * domain errors keep their message, anything unexpected becomes a bare 500.
 */
const t = initTRPC
  .context<Context>()
  .meta<ProcedureMeta>()
  .create({
    isDev: false,
    errorFormatter({ shape, error }) {
      const unexpected = error.code === 'INTERNAL_SERVER_ERROR';
      const issues = error.cause instanceof z.ZodError ? error.cause.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) : undefined;
      return {
        message: unexpected ? 'unexpected server error' : shape.message,
        code: shape.code,
        data: { code: shape.data.code, httpStatus: shape.data.httpStatus, path: shape.data.path, ...(issues ? { issues } : {}) },
      };
    },
  });

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/**
 * The data a viewer may reach through one procedure. `agentKeys` null means every agent
 * of the tenant; otherwise the telemetry keys of the agents in scope.
 */
export interface Access {
  tenantId: string;
  scope: Scope;
  agentKeys: ReadonlySet<string> | null;
  directory: Directory;
}

export function canSeeAgent(access: Access, agentKey: string): boolean {
  return access.agentKeys === null || access.agentKeys.has(agentKey);
}

function agentKeysFor(viewer: Membership, scope: Scope, directory: Directory): ReadonlySet<string> | null {
  if (scope === 'tenant') return null;
  if (scope === 'self') return new Set(viewer.agent ? [viewer.agent.key] : []);
  const teams = new Set(viewer.teamIds);
  return new Set(directory.agents.filter((a) => teams.has(a.teamId)).map((a) => a.key));
}

/**
 * The only way to make a procedure: its policy (roles and scope, and any permission it needs
 * beyond the role, and whether the embedded desktop panel may call it) is declared where the
 * procedure is, and enforced before its input is even parsed.
 */
export function authorized(policy: Policy, needs: { qualityLead?: boolean; panel?: boolean } = {}) {
  return t.procedure.meta({ policy, ...needs }).use(async ({ ctx, next, getRawInput }) => {
    const viewer = ctx.viewer;
    if (!viewer) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'sign in to use Switchboard' });
    if (ctx.panel && !needs.panel) {
      throw new TRPCError({ code: 'FORBIDDEN', message: 'the embedded desktop panel may not do this: open Switchboard itself and sign in' });
    }
    const scope = policy[viewer.role];
    if (!scope) throw new TRPCError({ code: 'FORBIDDEN', message: `the ${viewer.role} role may not do this` });
    if (needs.qualityLead && !viewer.qualityLead) {
      throw new TRPCError({ code: 'FORBIDDEN', message: 'this needs the quality-lead permission, which an admin gives to an analyst or a supervisor' });
    }
    // A body that does not parse is left to the input parser (or ignored by a procedure without input), as before.
    if (holdsNul(await getRawInput().catch(() => undefined))) {
      throw new TRPCError({ code: 'BAD_REQUEST', message: NUL_REFUSAL });
    }
    const directory = await ctx.services.directory.get(viewer.tenantId);
    if (!directory) throw new TRPCError({ code: 'FORBIDDEN', message: 'your tenant no longer exists' });
    const access: Access = { tenantId: viewer.tenantId, scope, agentKeys: agentKeysFor(viewer, scope, directory), directory };
    return next({ ctx: { viewer, access } });
  });
}

/** For ids the viewer may not see: the same answer as for ids that do not exist, so nothing leaks. */
export function notFound(what: string): TRPCError {
  return new TRPCError({ code: 'NOT_FOUND', message: `no such ${what}` });
}
