import { CenterConfig, type TelemetryEvent } from '@switchboard/contracts';
import { demoCenter, demoTraffic } from './demo-center.ts';
import { Simulation } from './engine.ts';
import { createCenterModel } from './model.ts';
import { checkTraffic, createTraffic, type TrafficConfig } from './traffic.ts';

export interface SimulateOptions {
  /** The center to simulate; the demo center by default. */
  config?: CenterConfig;
  /** Volumes and behaviour; demoTraffic for the demo center, channel defaults for any other. */
  traffic?: TrafficConfig;
  /** Any integer: the same seed, config, knobs and window give byte-identical events. */
  seed: number;
  start: Date | number;
  /** Exclusive; omit for an endless stream (live mode). */
  end?: Date | number;
  /** Share of the configured agents that exist (0…1); removed agents are spread over the teams. */
  staffingFactor?: number;
  /** Multiplies every queue's daily volume. */
  volumeFactor?: number;
}

/**
 * Simulated contact-center telemetry in occurred_at order, generated lazily: memory stays
 * flat however long the window. Every event passes validateEvent; sent_at equals occurred_at
 * so a re-run produces the same bytes (a sender may stamp its own).
 */
export function* simulate(options: SimulateOptions): Generator<TelemetryEvent, void, undefined> {
  const config = options.config ?? demoCenter;
  const parsed = CenterConfig.safeParse(config);
  if (!parsed.success) throw new Error(`invalid center config: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const traffic = options.traffic ?? (config === demoCenter ? demoTraffic : createTraffic(config));
  checkTraffic(config, traffic);

  const start = Number(options.start);
  const end = options.end === undefined ? Infinity : Number(options.end);
  const staffingFactor = options.staffingFactor ?? 1;
  const volumeFactor = options.volumeFactor ?? 1;
  if (!Number.isSafeInteger(options.seed)) throw new Error('seed must be an integer');
  if (!Number.isFinite(start) || !(end > start)) throw new Error('start must be a valid time before end');
  if (!(staffingFactor >= 0 && staffingFactor <= 1)) throw new Error('staffingFactor must be within 0…1');
  if (!(volumeFactor >= 0 && Number.isFinite(volumeFactor))) throw new Error('volumeFactor must be a finite number ≥ 0');

  const sim = new Simulation({
    model: createCenterModel(config, traffic, staffingFactor),
    traffic,
    seed: options.seed,
    start,
    end,
    volumeFactor,
  });
  const out = sim.out;
  while (sim.step()) {
    if (out.length === 0) continue;
    for (const event of out) yield event;
    out.length = 0;
  }
}
