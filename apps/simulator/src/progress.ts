import cliProgress from 'cli-progress';

/** What a run has done so far; the summary line is printed from it. */
export interface RunStats {
  generated: number;
  batches: number;
  accepted: number;
  rejected: number;
  replayedBatches: number;
  retries: number;
  startedAt: number;
}

export function createRunStats(): RunStats {
  return { generated: 0, batches: 0, accepted: 0, rejected: 0, replayedBatches: 0, retries: 0, startedAt: Date.now() };
}

export const formatCount = (n: number) => n.toLocaleString('en-US');
const formatInstant = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ') + 'Z';

export function getRate(stats: RunStats): number {
  const seconds = (Date.now() - stats.startedAt) / 1000;
  return seconds > 0 ? Math.round(stats.accepted / seconds) : 0;
}

export interface Progress {
  /** The simulated clock reached `simulatedMs`. */
  update(simulatedMs: number): void;
  /** A message that must not be lost under the bar. */
  log(line: string): void;
  stop(): void;
}

/**
 * A bar over simulated time when stdout is a terminal; otherwise a plain line every few
 * seconds, so logs stay readable when piped.
 */
export function createProgress(label: string, from: number, to: number, stats: RunStats, isTTY = Boolean(process.stdout.isTTY)): Progress {
  const total = Math.max(1, to - from);
  const payload = (simulatedMs: number) => ({
    at: formatInstant(simulatedMs),
    acked: formatCount(stats.accepted),
    rate: formatCount(getRate(stats)),
    rejected: formatCount(stats.rejected),
  });

  if (isTTY) {
    const bars = new cliProgress.MultiBar(
      {
        format: `${label} |{bar}| {percentage}% | {at} | {acked} events stored | {rate} ev/s | {rejected} rejected | ETA {eta_formatted}`,
        stream: process.stdout,
        hideCursor: true,
        etaBuffer: 50,
      },
      cliProgress.Presets.shades_classic,
    );
    const bar = bars.create(total, 0, payload(from));
    return {
      update: (simulatedMs) => bar.update(Math.min(total, simulatedMs - from), payload(simulatedMs)),
      log: (line) => bars.log(`${line}\n`),
      stop: () => bars.stop(),
    };
  }

  let lastLine = 0;
  let last = from;
  const print = (simulatedMs: number) => {
    const p = payload(simulatedMs);
    const percent = Math.floor((100 * (simulatedMs - from)) / total);
    console.log(`${label} ${percent}% | ${p.at} | ${p.acked} events stored | ${p.rate} ev/s | ${p.rejected} rejected`);
    lastLine = Date.now();
  };
  return {
    update: (simulatedMs) => {
      last = simulatedMs;
      if (Date.now() - lastLine >= 5000) print(simulatedMs);
    },
    log: (line) => console.log(line),
    stop: () => print(Math.max(last, to)),
  };
}
