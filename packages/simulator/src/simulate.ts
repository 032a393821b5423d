import { CenterConfig, type TelemetryEvent } from '@switchboard/contracts';
import { demoCenter, demoTraffic } from './demo-center.ts';
import { Simulation } from './engine.ts';
import { createCenterModel } from './model.ts';
import { defaultDeviations, type Deviations, type ScheduleBook } from './schedule.ts';
import { checkTraffic, createTraffic, type TrafficConfig } from './traffic.ts';

export interface SimulateOptions {
  /** The center to simulate; the demo center by default. */
  config?: CenterConfig;
  /** Volumes and behaviour; demoTraffic for the demo center, channel defaults for any other. */
  traffic?: TrafficConfig;
  /** Any integer: the same seed, config, knobs, schedule and window give byte-identical events. */
  seed: number;
  start: Date | number;
  /** Exclusive; omit for an endless stream (live mode). */
  end?: Date | number;
  /** Share of the configured agents that exist (0…1); removed agents are spread over the teams. */
  staffingFactor?: number;
  /** Multiplies every queue's daily volume. */
  volumeFactor?: number;
  /**
   * Published schedules: an agent with activities on a day follows them, with deviations;
   * one without keeps the configured shift. Changes made during a run are followed by the
   * agents who have not logged in yet that day.
   */
  schedule?: ScheduleBook;
  /** How often scheduled agents depart from their schedule; defaultDeviations for what is not given. */
  deviations?: Partial<Deviations>;
}

function createSimulation(options: SimulateOptions): Simulation {
  const config = options.config ?? demoCenter;
  const parsed = CenterConfig.safeParse(config);
  if (!parsed.success) throw new Error(`invalid center config: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const traffic = options.traffic ?? (config === demoCenter ? demoTraffic : createTraffic(config));
  checkTraffic(config, traffic);

  const start = Number(options.start);
  const end = options.end === undefined ? Infinity : Number(options.end);
  const staffingFactor = options.staffingFactor ?? 1;
  const volumeFactor = options.volumeFactor ?? 1;
  const deviations = { ...defaultDeviations, ...options.deviations };
  if (!Number.isSafeInteger(options.seed)) throw new Error('seed must be an integer');
  if (!Number.isFinite(start) || !(end > start)) throw new Error('start must be a valid time before end');
  if (!(staffingFactor >= 0 && staffingFactor <= 1)) throw new Error('staffingFactor must be within 0…1');
  if (!(volumeFactor >= 0 && Number.isFinite(volumeFactor))) throw new Error('volumeFactor must be a finite number ≥ 0');
  for (const [name, p] of Object.entries(deviations)) if (!(p >= 0 && p <= 1)) throw new Error(`deviations.${name} must be within 0…1`);
  if (deviations.lateLogin + deviations.earlyLogin > 1) throw new Error('deviations.lateLogin and earlyLogin must add up to at most 1');

  return new Simulation({
    model: createCenterModel(config, traffic, staffingFactor),
    traffic,
    seed: options.seed,
    start,
    end,
    volumeFactor,
    schedule: options.schedule ?? null,
    deviations,
  });
}

/**
 * Simulated contact-center telemetry in occurred_at order, generated lazily: memory stays
 * flat however long the window. Every event passes validateEvent; sent_at equals occurred_at
 * so a re-run produces the same bytes (a sender may stamp its own).
 */
export function* simulate(options: SimulateOptions): Generator<TelemetryEvent, void, undefined> {
  const sim = createSimulation(options);
  const out = sim.out;
  while (sim.step()) {
    if (out.length === 0) continue;
    for (const event of out) yield event;
    out.length = 0;
  }
}

/** An endless simulation moved on by its caller's clock. */
interface LiveSimulation {
  /** The events of everything that happens before `time` and after the previous call, in occurred_at order. */
  advanceTo(time: Date | number): TelemetryEvent[];
}

/**
 * The same stream as simulate() without an end, for live mode: it never computes ahead of
 * the clock it is given, so a schedule published meanwhile is followed from that moment
 * (a generator would already have planned the day it reached looking for the next event).
 */
export function simulateLive(options: Omit<SimulateOptions, 'end'>): LiveSimulation {
  const sim = createSimulation(options);
  return { advanceTo: (time) => sim.advanceTo(Number(time)) };
}
