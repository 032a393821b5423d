import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AlertCondition } from '@switchboard/contracts';
import { idleAlertState, judgeAlertRule, stepAlert, type AlertFigures, type AlertRuleShape, type AlertState } from './alerts.ts';

const sl = (threshold: number, clearThreshold = threshold): AlertCondition => ({ metric: 'service_level_30m', comparator: 'below', threshold, clearThreshold });
const waiting = (threshold: number, clearThreshold = threshold): AlertCondition => ({ metric: 'waiting', comparator: 'above', threshold, clearThreshold });

/** Runs a rule over figures seen at the given times (ms); the transitions with their times. */
function run(rule: AlertRuleShape, steps: readonly { at: number; figures: AlertFigures }[], start: AlertState = idleAlertState) {
  let state = start;
  const transitions: { at: number; transition: 'fire' | 'clear' }[] = [];
  const firing: boolean[] = [];
  for (const { at, figures } of steps) {
    const next = stepAlert(state, figures, rule, at);
    state = next.state;
    if (next.transition !== 'none') transitions.push({ at, transition: next.transition });
    firing.push(state.firing);
  }
  return { transitions, firing, state };
}

describe('stepAlert', () => {
  const rule: AlertRuleShape = { match: 'all', conditions: [sl(0.8, 0.85)], fireAfterS: 60, clearAfterS: 120 };

  it('fires once the breach has lasted fireAfterS, and clears once the recovery has lasted clearAfterS', () => {
    const s = 1000;
    const { transitions } = run(rule, [
      { at: 0, figures: { service_level_30m: 0.7 } },
      { at: 30 * s, figures: { service_level_30m: 0.7 } },
      { at: 60 * s, figures: { service_level_30m: 0.75 } },
      { at: 90 * s, figures: { service_level_30m: 0.9 } },
      { at: 150 * s, figures: { service_level_30m: 0.9 } },
      { at: 210 * s, figures: { service_level_30m: 0.9 } },
    ]);
    expect(transitions).toEqual([
      { at: 60 * s, transition: 'fire' },
      { at: 210 * s, transition: 'clear' },
    ]);
  });

  it('holds between the thresholds: a breach going on there fires only once the figure is past the threshold again', () => {
    const s = 1000;
    const { transitions } = run(rule, [
      { at: 0, figures: { service_level_30m: 0.7 } },
      { at: 90 * s, figures: { service_level_30m: 0.82 } },
      { at: 100 * s, figures: { service_level_30m: 0.79 } },
    ]);
    expect(transitions).toEqual([{ at: 100 * s, transition: 'fire' }]);
    // Back over the clear threshold before the delay: the breach starts again from zero.
    const restarted = run(rule, [
      { at: 0, figures: { service_level_30m: 0.7 } },
      { at: 30 * s, figures: { service_level_30m: 0.9 } },
      { at: 40 * s, figures: { service_level_30m: 0.7 } },
      { at: 90 * s, figures: { service_level_30m: 0.7 } },
      { at: 100 * s, figures: { service_level_30m: 0.7 } },
    ]);
    expect(restarted.transitions).toEqual([{ at: 100 * s, transition: 'fire' }]);
  });

  it('breaches on all or any of the conditions, and recovers only when every one has', () => {
    const conditions = [sl(0.8, 0.85), waiting(5, 3)];
    const both = { service_level_30m: 0.7, waiting: 8 };
    const one = { service_level_30m: 0.7, waiting: 2 };
    expect(judgeAlertRule({ match: 'all', conditions }, both)).toBe('breach');
    expect(judgeAlertRule({ match: 'all', conditions }, one)).toBe('between');
    expect(judgeAlertRule({ match: 'any', conditions }, one)).toBe('breach');
    expect(judgeAlertRule({ match: 'any', conditions }, { service_level_30m: 0.9, waiting: 4 })).toBe('between');
    expect(judgeAlertRule({ match: 'any', conditions }, { service_level_30m: 0.9, waiting: 3 })).toBe('recovered');
    // No figure (nothing answered in 30 minutes) is no breach, and no obstacle to recovering.
    expect(judgeAlertRule({ match: 'any', conditions }, { service_level_30m: null, waiting: 0 })).toBe('recovered');
  });
});

// ── properties ─────────────────────────────────────────────────────────────────

const arbCondition: fc.Arbitrary<AlertCondition> = fc
  .record({
    metric: fc.constantFrom('service_level_30m' as const, 'waiting' as const, 'longest_wait_s' as const),
    comparator: fc.constantFrom('below' as const, 'above' as const),
    threshold: fc.integer({ min: 0, max: 100 }),
    gap: fc.integer({ min: 0, max: 30 }),
  })
  .map(({ metric, comparator, threshold, gap }) => ({
    metric,
    comparator,
    threshold,
    clearThreshold: comparator === 'below' ? threshold + gap : Math.max(0, threshold - gap),
  }));

const arbRule: fc.Arbitrary<AlertRuleShape> = fc.record({
  match: fc.constantFrom('all' as const, 'any' as const),
  conditions: fc.array(arbCondition, { minLength: 1, maxLength: 3 }),
  fireAfterS: fc.integer({ min: 0, max: 600 }),
  clearAfterS: fc.integer({ min: 0, max: 600 }),
});

const arbFigures: fc.Arbitrary<AlertFigures> = fc.record({
  service_level_30m: fc.option(fc.integer({ min: 0, max: 130 }), { nil: null }),
  waiting: fc.option(fc.integer({ min: 0, max: 130 }), { nil: null }),
  longest_wait_s: fc.option(fc.integer({ min: 0, max: 130 }), { nil: null }),
});

/** Figures at increasing times: gaps of 0 to 200 s, as an evaluator that runs late or twice would see them. */
const arbSteps = fc.array(fc.record({ gapS: fc.integer({ min: 0, max: 200 }), figures: arbFigures }), { maxLength: 60 }).map((steps) => {
  let at = 0;
  return steps.map(({ gapS, figures }) => ({ at: (at += gapS * 1000), figures }));
});

describe('stepAlert properties', () => {
  it('never flaps faster than its durations: a fire follows the last clear by fireAfterS at least, a clear the fire by clearAfterS', () => {
    fc.assert(
      fc.property(arbRule, arbSteps, (rule, steps) => {
        const { transitions, firing } = run(rule, steps);
        let firingNow = false;
        let last = steps[0]?.at ?? 0;
        for (const t of transitions) {
          // Fires and clears alternate, starting with a fire.
          expect(t.transition).toBe(firingNow ? 'clear' : 'fire');
          expect(t.at - last).toBeGreaterThanOrEqual((t.transition === 'fire' ? rule.fireAfterS : rule.clearAfterS) * 1000);
          firingNow = !firingNow;
          last = t.at;
        }
        expect(firing.at(-1) ?? false).toBe(firingNow);
      }),
    );
  });

  it('a figure moving between the threshold and the clear threshold neither fires nor clears, however long', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 2, max: 30 }),
        fc.constantFrom('below' as const, 'above' as const),
        fc.boolean(),
        fc.array(fc.integer({ min: 0, max: 1_000 }), { minLength: 1, maxLength: 80 }),
        (base, gap, comparator, firing, offsets) => {
          // below: breach under base, recovered at base + gap; above: breach over base + gap, recovered at base.
          const condition: AlertCondition =
            comparator === 'below'
              ? { metric: 'waiting', comparator, threshold: base, clearThreshold: base + gap }
              : { metric: 'waiting', comparator, threshold: base + gap, clearThreshold: base };
          const rule: AlertRuleShape = { match: 'all', conditions: [condition], fireAfterS: 0, clearAfterS: 0 };
          // In the band: from base up to under base + gap for below (no breach, not recovered), over base up to base + gap for above.
          const inBand = offsets.map((k) => (comparator === 'below' ? base + (k % gap) : base + gap - (k % gap)));
          const steps = inBand.map((v, i) => ({ at: i * 15_000, figures: { waiting: v } }));
          const start = firing ? { firing: true, breachingSince: null, recoveringSince: null } : idleAlertState;
          expect(run(rule, steps, start).transitions).toEqual([]);
        },
      ),
    );
  });

  it('with no durations and the clear threshold at the threshold, it is the single-threshold rule: firing exactly while past the threshold', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100 }),
        fc.constantFrom('below' as const, 'above' as const),
        fc.array(fc.option(fc.integer({ min: 0, max: 100 }), { nil: null }), { maxLength: 60 }),
        (threshold, comparator, values) => {
          const rule: AlertRuleShape = {
            match: 'all',
            conditions: [{ metric: 'waiting', comparator, threshold, clearThreshold: threshold }],
            fireAfterS: 0,
            clearAfterS: 0,
          };
          const steps = values.map((v, i) => ({ at: i * 15_000, figures: { waiting: v } }));
          const old = (v: number | null) => v !== null && (comparator === 'below' ? v < threshold : v > threshold);
          expect(run(rule, steps).firing).toEqual(values.map(old));
        },
      ),
    );
  });
});
