import { describe, expect, it } from 'vitest';
import {
  addQueueSums,
  agentKpis,
  applyServiceLevelThreshold,
  botKpis,
  computeQueueKpis,
  emptyQueueSums,
  queueKpis,
  surveyKpis,
  type QueueSums,
} from './catalogue.ts';

/** One hand-worked queue interval: 100 offered, 80 answered (60 within 20 s), 15 abandoned of which 5 short. */
function example(): QueueSums {
  const s = emptyQueueSums();
  s.offered = 100;
  s.answered = 80;
  s.answered_within[20] = 60;
  s.answered_within[30] = 70;
  s.abandoned = 15;
  s.short_abandoned = 5;
  s.wait_answered_ms_sum = 80 * 12_500;
  s.wait_abandoned_ms_sum = 15 * 40_000;
  s.wait_ms_max = 95_000;
  s.handled = 78;
  s.talk_ms_sum = 78 * 240_000;
  s.hold_ms_sum = 78 * 20_000;
  s.wrapup_ms_sum = 78 * 30_000;
  s.wrapups = 78;
  s.holds = 13;
  s.transferred = 6;
  return applyServiceLevelThreshold(s, 20);
}

describe('queue KPIs', () => {
  it('match the hand-computed values', () => {
    const k = computeQueueKpis(example());
    // 60 within 20 s over (80 answered + 15 abandoned − 5 short) = 60 / 90
    expect(k.service_level).toBeCloseTo(60 / 90, 12);
    expect(k.asa_s).toBe(12.5);
    // (15 − 5) / 90
    expect(k.abandon_rate).toBeCloseTo(10 / 90, 12);
    expect(k.avg_abandon_wait_s).toBe(40);
    expect(k.max_wait_s).toBe(95);
    // 240 + 20 + 30 s
    expect(k.aht_s).toBeCloseTo(290, 9);
    expect((k.avg_talk_s ?? 0) + (k.avg_hold_s ?? 0) + (k.avg_wrapup_s ?? 0)).toBeCloseTo(k.aht_s ?? 0, 9);
    expect(k.transfer_rate).toBeCloseTo(6 / 78, 12);
    expect(k.hold_rate).toBeCloseTo(13 / 78, 12);
    expect(k.offered).toBe(100);
    expect(k.short_abandoned).toBe(5);
  });

  it('uses the threshold of the queue, and refuses one the rollups do not keep', () => {
    expect(queueKpis.service_level.compute(applyServiceLevelThreshold(example(), 30))).toBeCloseTo(70 / 90, 12);
    expect(() => applyServiceLevelThreshold(example(), 25)).toThrow(/no service-level counts are kept for 25 s/);
  });

  it('has no value, rather than zero, when nothing happened', () => {
    const k = computeQueueKpis(emptyQueueSums());
    expect(k.service_level).toBeNull();
    expect(k.asa_s).toBeNull();
    expect(k.aht_s).toBeNull();
    expect(k.offered).toBe(0);
  });

  it('adds sums, so a total is computed from summed parts and not averaged', () => {
    const a = example();
    const b = emptyQueueSums();
    b.answered = 20;
    b.answered_within[20] = 20;
    b.answered_in_sl = 20;
    b.wait_answered_ms_sum = 20 * 2_500;
    b.wait_ms_max = 120_000;
    const total = addQueueSums(a, b);
    expect(total.answered).toBe(100);
    expect(total.wait_ms_max).toBe(120_000);
    expect(queueKpis.asa_s.compute(total)).toBeCloseTo((80 * 12.5 + 20 * 2.5) / 100, 12);
    expect(queueKpis.service_level.compute(total)).toBeCloseTo(80 / 110, 12);
  });
});

describe('agent, bot and survey KPIs', () => {
  it('occupancy excludes breaks, utilisation includes them', () => {
    const s = { available: 20 * 60_000, on_interaction: 45 * 60_000, wrap_up: 15 * 60_000, break: 20 * 60_000, offline: 600 * 60_000 };
    expect(agentKpis.occupancy.compute(s)).toBeCloseTo(60 / 80, 12);
    expect(agentKpis.utilisation.compute(s)).toBeCloseTo(60 / 100, 12);
    expect(agentKpis.staffed_hours.compute(s)).toBeCloseTo(100 / 60, 12);
  });

  it('containment and CSAT', () => {
    const bot = { sessions: 200, contained: 90, escalated: 100, abandoned: 10, turns_sum: 700, duration_ms_sum: 0 };
    expect(botKpis.containment.compute(bot)).toBe(0.45);
    expect(botKpis.escalation_rate.compute(bot)).toBe(0.5);
    expect(botKpis.bot_abandon_rate.compute(bot)).toBe(0.05);
    expect(botKpis.avg_turns.compute(bot)).toBe(3.5);
    const survey = { csat_responses: 40, csat_satisfied: 30, csat_sum: 160 };
    expect(surveyKpis.csat.compute(survey)).toBe(0.75);
    expect(surveyKpis.csat_avg.compute(survey)).toBe(4);
  });
});
