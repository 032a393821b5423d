import { parseCommand, usage } from './args.ts';
import { resolveApiKey } from './api-key.ts';
import { runBackfill } from './backfill.ts';
import { readEnv } from './env.ts';
import { runLive } from './live.ts';
import { formatCount, getRate, type RunStats } from './progress.ts';
import { SendError } from './sender.ts';

function summarize(label: string, stats: RunStats, extra = ''): string {
  const seconds = (Date.now() - stats.startedAt) / 1000;
  return (
    `${label}: ${formatCount(stats.accepted)} events stored, ${formatCount(stats.rejected)} rejected, ` +
    `in ${formatCount(stats.batches)} batches (${stats.replayedBatches} replayed, ${stats.retries} retries), ` +
    `${seconds.toFixed(1)} s, ${formatCount(getRate(stats))} events/s${extra}`
  );
}

async function main(): Promise<number> {
  const command = parseCommand(process.argv.slice(2));
  if (command.kind === 'help') {
    console.log(usage);
    return 0;
  }
  if (command.kind === 'error') {
    console.error(`error: ${command.message}\n\n${usage}`);
    return 2;
  }
  const { args } = command;
  const apiKey = await resolveApiKey(args.apiKey, readEnv().SWITCHBOARD_API_KEY);

  // First Ctrl-C stops cleanly (pending batches are still delivered); a second one exits at once.
  const stop = new AbortController();
  process.on('SIGINT', () => {
    if (stop.signal.aborted) process.exit(130);
    console.log('\nstopping: delivering what is pending (Ctrl-C again to quit now)');
    stop.abort();
  });
  process.on('SIGTERM', () => stop.abort());

  if (args.mode === 'backfill') {
    const { stats, from, to } = await runBackfill(args, apiKey, stop.signal);
    const window = `; simulated ${new Date(from).toISOString()} → ${new Date(to).toISOString()}${stop.signal.aborted ? ' (stopped early)' : ''}`;
    console.log(summarize('backfill done', stats, window));
    return stats.rejected > 0 ? 3 : 0;
  }
  const stats = await runLive(args, apiKey, stop.signal);
  console.log(summarize('live stopped', stats));
  return stats.rejected > 0 ? 3 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`error: ${error instanceof SendError ? error.message : (error as Error).message}`);
    process.exit(1);
  },
);
