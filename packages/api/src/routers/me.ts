import { acknowledgeSchedule, decideTimeOff, getTimeOffBalance, listSwaps, listTimeOff, updateSwap } from '@switchboard/db';
import { addLocalDays, daysBetween, localDateOf, localDays, localWeekStart } from '@switchboard/calendar';
import { z } from 'zod';
import { answerSwap, getMySchedule, requestSwap, requestTimeOff, toICalendar } from '../services/schedules.ts';
import { notFound, router } from '../trpc.ts';
import { agentSelf } from './agent-self.ts';
import { Acknowledged, Colleagues, MySchedule, MySwaps, MyTimeOff, SwapAnswered, TimeOffAsked } from '../outputs/schedules.ts';
import { Swap, TimeOffRequest } from '../outputs/shared.ts';

const IsoDate = z.iso.date({ error: 'a date as YYYY-MM-DD' });

/** The agent's own schedule, time off and swaps: only an agent member, only themselves. */
const me = agentSelf();

export const meRouter = router({
  /** This week and next on the agent's clock (or the two weeks from `weekStart`). */
  schedule: agentSelf({ panel: true })
    .input(z.object({ weekStart: IsoDate.optional() }))
    .output(MySchedule)
    .query(({ ctx, input }) => {
      const weekStart = input.weekStart ?? localWeekStart(localDateOf(ctx.services.now(), ctx.me.timezone), 1);
      return getMySchedule(ctx.services, ctx.access, ctx.me, weekStart);
    }),

  acknowledge: me
    .input(z.object({ scheduleId: z.uuid() }))
    .output(Acknowledged)
    .mutation(async ({ ctx, input }) => {
      if (!(await acknowledgeSchedule(ctx.services.db, ctx.access.tenantId, input.scheduleId, ctx.me.agentId, ctx.services.now())))
        throw notFound('published schedule');
      return { scheduleId: input.scheduleId };
    }),

  /** The agent's published shifts of the next eight weeks as an iCalendar file. */
  ical: me.output(z.string()).query(async ({ ctx }) => {
    const today = localDateOf(ctx.services.now(), ctx.me.timezone);
    const weeks = await Promise.all([0, 14, 28, 42].map((d) => getMySchedule(ctx.services, ctx.access, ctx.me, addLocalDays(today, d))));
    const seen = new Set<string>();
    const activities = weeks.flatMap((w) => w.activities).filter((a) => !seen.has(a.id) && seen.add(a.id));
    return toICalendar(activities, ctx.services.now());
  }),

  timeOff: router({
    list: me.output(MyTimeOff).query(async ({ ctx }) => {
      const today = localDateOf(ctx.services.now(), ctx.me.timezone);
      const year = Number(today.slice(0, 4));
      const [requests, balance] = await Promise.all([
        listTimeOff(ctx.services.db, ctx.access.tenantId, { ...localDays(addLocalDays(today, -60), 430, ctx.me.timezone), agentIds: [ctx.me.agentId] }),
        getTimeOffBalance(
          ctx.services.db,
          ctx.access.tenantId,
          ctx.me.agentId,
          year,
          localDays(`${year}-01-01`, daysBetween(`${year}-01-01`, `${year + 1}-01-01`), ctx.me.timezone),
        ),
      ]);
      return { requests, balance: { year, ...balance } };
    }),
    /** A whole day (no minutes) or part of one, on the agent's clock. */
    request: me
      .input(
        z
          .object({ date: IsoDate, fromMin: z.int().min(0).max(1439).nullable(), toMin: z.int().min(1).max(1440).nullable() })
          .refine((r) => (r.fromMin === null) === (r.toMin === null), {
            message: 'give both times of a part day, or neither for the whole day',
            path: ['toMin'],
          })
          .refine((r) => r.fromMin === null || r.fromMin < r.toMin!, { message: 'the time off ends before it starts', path: ['toMin'] }),
      )
      .output(TimeOffAsked)
      .mutation(({ ctx, input }) => requestTimeOff(ctx.services, ctx.access, ctx.me, ctx.viewer.userId, input)),
    cancel: me
      .input(z.object({ id: z.uuid() }))
      .output(TimeOffRequest)
      .mutation(async ({ ctx, input }) => {
        const cancelled = await decideTimeOff(ctx.services.db, ctx.access.tenantId, ctx.viewer.userId, {
          id: input.id,
          status: 'cancelled',
          agentId: ctx.me.agentId,
        });
        if (!cancelled) throw notFound('time-off request');
        return cancelled;
      }),
  }),

  swaps: router({
    list: me.output(MySwaps).query(async ({ ctx }) => {
      const names = new Map(ctx.access.directory.agents.map((a) => [a.id, { key: a.key, name: a.displayName }]));
      return (await listSwaps(ctx.services.db, ctx.access.tenantId, { agentId: ctx.me.agentId })).map((s) => ({
        ...s,
        mine: s.requesterId === ctx.me.agentId,
        requester: names.get(s.requesterId)?.name ?? '',
        colleague: names.get(s.colleagueId)?.name ?? '',
      }));
    }),
    /** Colleagues of the agent's own team, to offer a swap to. */
    colleagues: me.output(Colleagues).query(({ ctx }) => {
      const mine = ctx.access.directory.agents.find((a) => a.id === ctx.me.agentId);
      return ctx.access.directory.agents.filter((a) => a.teamId === mine?.teamId && a.id !== ctx.me.agentId).map((a) => ({ key: a.key, name: a.displayName }));
    }),
    request: me
      .input(z.object({ colleagueKey: z.string().min(1).max(64), myDate: IsoDate, theirDate: IsoDate }))
      .output(Swap)
      .mutation(({ ctx, input }) => requestSwap(ctx.services, ctx.access, ctx.me, ctx.viewer.userId, input)),
    /** The colleague's answer to a swap asked of them. */
    answer: me
      .input(z.object({ id: z.uuid(), accept: z.boolean() }))
      .output(SwapAnswered)
      .mutation(async ({ ctx, input }) => {
        const swap = (await listSwaps(ctx.services.db, ctx.access.tenantId, { agentId: ctx.me.agentId, statuses: ['requested'] })).find(
          (s) => s.id === input.id && s.colleagueId === ctx.me.agentId,
        );
        if (!swap) throw notFound('swap asked of you');
        return answerSwap(ctx.services, ctx.access, ctx.viewer.userId, swap, input.accept);
      }),
    cancel: me
      .input(z.object({ id: z.uuid() }))
      .output(Swap)
      .mutation(async ({ ctx, input }) => {
        const swap = (await listSwaps(ctx.services.db, ctx.access.tenantId, { agentId: ctx.me.agentId })).find(
          (s) => s.id === input.id && s.requesterId === ctx.me.agentId,
        );
        const cancelled =
          swap &&
          (await updateSwap(ctx.services.db, ctx.access.tenantId, ctx.viewer.userId, { id: swap.id, from: ['requested', 'accepted'], to: 'cancelled' }));
        if (!cancelled) throw notFound('open swap of yours');
        return cancelled;
      }),
  }),
});
