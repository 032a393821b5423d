import { describe, expect, it } from 'vitest';
import { evaluateQueueReference } from './reference.ts';
import { createSeededRandom } from '../random.ts';
import { evaluateStaffing } from './staffing.ts';

/** Small seeded generator (mulberry32), so the simulation is the same on every run. */
/**
 * Event-by-event M/M/n+M: FCFS, exponential handle times and patience; counts what the
 * KPIs count (answered within t over offered, mean wait of answered contacts).
 */
function simulate(agents: number, arrivalsPerS: number, ahtS: number, patienceS: number, thresholdS: number, contacts: number) {
  const random = createSeededRandom(7);
  const exp = (mean: number) => -mean * Math.log(1 - random());
  const waiting: { arrived: number; gives_up: number }[] = [];
  let now = 0;
  let nextArrival = exp(1 / arrivalsPerS);
  let busy = 0;
  let offered = 0;
  let waited = 0;
  let answered = 0;
  let answeredInTime = 0;
  let waitSum = 0;
  let abandoned = 0;
  const warmUp = contacts / 10;
  while (offered < contacts) {
    // handle times are memoryless, so the next completion can be drawn afresh at every event
    const nextCompletion = busy > 0 ? now + exp(ahtS / busy) : Number.POSITIVE_INFINITY;
    let first = -1;
    for (let i = 0; i < waiting.length; i++) if (first < 0 || waiting[i]!.gives_up < waiting[first]!.gives_up) first = i;
    const nextAbandon = first < 0 ? Number.POSITIVE_INFINITY : waiting[first]!.gives_up;
    now = Math.min(nextArrival, nextCompletion, nextAbandon);
    const counted = now > warmUp * (1 / arrivalsPerS);
    if (now === nextArrival) {
      nextArrival = now + exp(1 / arrivalsPerS);
      if (counted) offered++;
      if (busy < agents) {
        busy++;
        if (counted) {
          answered++;
          answeredInTime++;
        }
      } else {
        if (counted) waited++;
        waiting.push({ arrived: counted ? now : Number.NaN, gives_up: now + exp(patienceS) });
      }
    } else if (now === nextCompletion) {
      const next = waiting.shift();
      if (next === undefined) busy--;
      else if (!Number.isNaN(next.arrived)) {
        answered++;
        waitSum += now - next.arrived;
        if (now - next.arrived <= thresholdS) answeredInTime++;
      }
    } else {
      const [gone] = waiting.splice(first, 1);
      if (!Number.isNaN(gone!.arrived)) abandoned++;
    }
  }
  return {
    service_level: answeredInTime / offered,
    p_wait: waited / offered,
    p_abandon: abandoned / offered,
    asa_s: waitSum / answered,
  };
}

describe('slow reference', () => {
  it('agrees with a simulation of the queue, conventions included', () => {
    // 10 Erlangs on 11 agents, 2 min mean patience: one contact in ten abandons
    const simulated = simulate(11, 10 / 180, 180, 120, 20, 400_000);
    const reference = evaluateQueueReference({ agents: 11, load_erlangs: 10, aht_s: 180, patience_s: 120, sl_threshold_s: 20 });
    expect(reference.p_abandon).toBeGreaterThan(0.05);
    expect(Math.abs(simulated.service_level - reference.service_level)).toBeLessThan(0.01);
    expect(Math.abs(simulated.p_wait - reference.p_wait)).toBeLessThan(0.01);
    expect(Math.abs(simulated.p_abandon - reference.p_abandon)).toBeLessThan(0.005);
    expect(Math.abs(simulated.asa_s / reference.asa_s - 1)).toBeLessThan(0.05);
  });

  it('matches the Erlang C closed form it does not use', () => {
    const fast = evaluateStaffing({ calls: 100, interval_s: 1800, aht_s: 180, sl_threshold_s: 20, agents: 14 });
    const reference = evaluateQueueReference({ agents: 14, load_erlangs: 10, aht_s: 180, patience_s: null, sl_threshold_s: 20 });
    // ASA = C · AHT / (n − A), SL = 1 − C e^{−(n−A) t / AHT}
    expect(reference.asa_s).toBeCloseTo((reference.p_wait * 180) / 4, 12);
    expect(reference.service_level).toBeCloseTo(1 - reference.p_wait * Math.exp((-4 * 20) / 180), 12);
    expect(reference.p_wait).toBeCloseTo(fast.p_wait, 12);
  });

  it('rejects what it cannot evaluate', () => {
    expect(() => evaluateQueueReference({ agents: 0, load_erlangs: 1, aht_s: 1, patience_s: null, sl_threshold_s: 0 })).toThrow('agents must be at least 1');
  });
});
