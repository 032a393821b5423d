import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { localDayStartOf } from '@switchboard/calendar';
import { createSeededRandom } from '@switchboard/planning';
import { demoCenter } from '@switchboard/simulator';
import { createTelemetryStore, queryRows, UInt64 } from '@switchboard/telemetry';
import { z } from 'zod';
import { runRollups } from '../support/admin-cli.ts';
import { waitForRollups } from '../support/events.ts';
import { byTier, recordFaultFigures } from '../support/faults.ts';
import { repoRoot, tempDataDir } from '../support/host.ts';
import { differingCells, expectedRollups, storedRollups } from '../support/rollup-oracle.ts';
import { freePort, spawnHost, waitReady, type SpawnedHost } from '../support/spawn-host.ts';
import { callApi, signInAsDemo } from '../support/api-client.ts';
import { GeneratorSummary, generatorEvents, readLedger, spawnGenerator, type GeneratorConfig } from './crash-generator.ts';

/**
 * R1 and R2, Jepsen's set workload for ingest: a generator process (crash-generator.ts) sends unique events at a fixed
 * rate and fsyncs what was acknowledged to a ledger, replaying batches as a duplicate storm, while this harness (the
 * nemesis) SIGKILLs the host at seeded random points and restarts it. Afterwards every acknowledged event must be
 * stored, none twice and none that was never sent — in the raw table, the rollups (against an oracle computed from the
 * events), a report and the wallboard, read through the API — and the operator's rollup check must find nothing,
 * through the running host and with the host stopped.
 */
const EVENTS = byTier(200_000, 1_000_000);
const KILLS = 5;
const SEED = 17;
const dataDir = tempDataDir('faults-crash');
let current: SpawnedHost | undefined;
afterAll(() => {
  current?.child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('ingest under SIGKILL and a duplicate storm (R1, R2)', () => {
  it(
    'stores every acknowledged event exactly once and nothing else, on every query path, across five kills',
    { timeout: byTier(900_000, 3_600_000) },
    async () => {
      const port = await freePort();
      current = spawnHost(dataDir, port);
      await waitReady(current);
      const url = current.url;
      const end = Date.now() - 60_000;
      // About 2,000 events an hour of the demo centre: a window that holds them all, inside the late-event horizon.
      const config: GeneratorConfig = {
        url,
        apiKey: readFileSync(path.join(dataDir, 'demo-api-key'), 'utf8').trim(),
        events: EVENTS,
        batch: 500,
        rate: byTier(5_000, 6_000),
        concurrency: 4,
        ledger: path.join(dataDir, 'ledger.tsv'),
        seed: SEED,
        start: end - Math.ceil(EVENTS / 1_500) * 3_600_000,
        end,
        replayShare: 0.3,
        rekeyShare: 0.02,
      };
      const generator = spawnGenerator(config, repoRoot);
      const sent = generatorEvents(config);

      const acknowledgedBatches = () => readLedger(config.ledger);
      const batches = Math.ceil(EVENTS / config.batch);
      const random = createSeededRandom(SEED);
      const points = Array.from({ length: KILLS }, () => 0.05 + random() * 0.85).sort((a, b) => a - b);
      const restarts: number[] = [];
      for (const point of points) {
        while (acknowledgedBatches().length < point * batches) await sleep(50);
        // A random moment within the next insert or two, with requests in flight.
        await sleep(random() * 40);
        current.child.kill('SIGKILL');
        await current.exited;
        restarts.push(Date.now());
        current = spawnHost(dataDir, port);
        await waitReady(current);
      }
      expect(await generator.exited, generator.output()).toBe(0);
      const summary = GeneratorSummary.parse(JSON.parse(generator.output().trim().split('\n').at(-1)!));
      expect(summary.unexpected).toEqual([]);
      expect(summary.replays_not_recognised).toBe(0);
      expect(summary.acknowledged_events).toBe(EVENTS);
      expect(summary.statuses.connection ?? 0, 'the kills broke requests in flight').toBeGreaterThan(0);

      const ledger = acknowledgedBatches();
      const acknowledged = new Set(ledger.flatMap((l) => l.ids));
      // Restart to the first acknowledgement after it.
      const restartToAck = restarts.map((at) => Math.min(...ledger.filter((l) => l.at >= at).map((l) => l.at)) - at);

      // Through the API, as a supervisor sees them.
      await waitForRollups(url);
      const cookie = await signInAsDemo(url, dataDir, 'supervisor');
      const offered = sent.filter((e) => e.type === 'interaction.offered');
      const localDate = (at: number) => new Date(at).toLocaleDateString('en-CA', { timeZone: demoCenter.timezone });
      const report = (
        await callApi(
          url,
          cookie,
          'reports.run',
          { from: localDate(config.start), to: localDate(end), grain: 'day', dimension: 'queue', compare: false },
          { query: true },
        )
      ).data as { total: { kpis: { offered: number; answered: number } } };
      const dayStart = localDayStartOf(new Date(), demoCenter.timezone).getTime();
      const wallboard = (await callApi(url, cookie, 'wallboard.snapshot')).data as { queues: { today: { offered: number } }[] };
      // The drill-down lists raw events and sums each one's interaction: over the re-keyed batches (stored twice raw),
      // every handle time must still be the interaction's own.
      const rekeyedEnded = summary.rekeyed.flatMap((b) => sent.slice(b * config.batch, (b + 1) * config.batch)).filter((e) => e.type === 'interaction.ended');
      expect(rekeyedEnded.length).toBeGreaterThan(0);
      const handleMs = new Map<string, number>();
      for (const e of sent) {
        if (e.type === 'interaction.ended') handleMs.set(e.interaction_id, (handleMs.get(e.interaction_id) ?? 0) + e.talk_ms + e.hold_ms);
        if (e.type === 'interaction.wrapup_ended') handleMs.set(e.interaction_id, (handleMs.get(e.interaction_id) ?? 0) + e.wrapup_ms);
      }
      const drillWrong = { listed: 0, handle_ms_wrong: 0, total: [0, 0] };
      for (const e of rekeyedEnded.slice(0, 20)) {
        const at = Date.parse(e.occurred_at);
        const drill = (
          await callApi(
            url,
            cookie,
            'reports.drill',
            { from: new Date(at).toISOString(), to: new Date(at + 1).toISOString(), metric: 'handled', dimension: 'queue', keys: [e.queue_id] },
            { query: true },
          )
        ).data as { total: number; rows: { event_id: string; interaction_id: string; handle_ms: number }[] };
        const want = sent.filter((s) => s.type === 'interaction.ended' && s.occurred_at === e.occurred_at && s.queue_id === e.queue_id).length;
        drillWrong.total = [drillWrong.total[0]! + drill.total, drillWrong.total[1]! + want];
        drillWrong.listed += drill.rows.length - want;
        drillWrong.handle_ms_wrong += drill.rows.filter((r) => r.handle_ms !== handleMs.get(r.interaction_id)).length;
      }
      const queryPaths = {
        drill_total: drillWrong.total,
        drill_rows: [drillWrong.listed, 0],
        drill_handle_ms_wrong: [drillWrong.handle_ms_wrong, 0],
        report_offered: [report.total.kpis.offered, offered.length],
        report_answered: [report.total.kpis.answered, sent.filter((e) => e.type === 'interaction.answered').length],
        wallboard_offered_today: [
          wallboard.queues.reduce((n, q) => n + q.today.offered, 0),
          offered.filter((e) => Date.parse(e.occurred_at) >= dayStart).length,
        ],
      };

      const window = ['--from', new Date(config.start - 3_600_000).toISOString(), '--to', new Date().toISOString()];
      const viaHost = await runRollups(dataDir, 'check', ...window);
      expect(viaHost.stdout).toContain('ok: 0 rollup intervals differ');

      const stopping = current;
      stopping.child.kill('SIGTERM');
      expect(await stopping.exited).toBe(0);
      current = undefined;
      const stopped = await runRollups(dataDir, 'check', ...window, '--tenant', 'demo');
      expect(stopped.stdout).toContain('ok: 0 rollup intervals differ');
      expect((await runRollups(dataDir, 'repair', ...window)).stdout).toContain('repaired 0 rollup intervals; 0 still differ');

      const store = createTelemetryStore({ dataDir });
      try {
        const [tenant] = await queryRows(store.client, z.object({ tenant: z.string() }), 'SELECT any(tenant_id) AS tenant FROM events', {});
        const storedIds = new Set(
          (
            await queryRows(store.client, z.object({ id: z.string() }), 'SELECT DISTINCT event_id AS id FROM events WHERE tenant_id = {tenant:String}', tenant!)
          ).map((r) => r.id),
        );
        const [counts] = await queryRows(
          store.client,
          z.object({ keyed_rows: UInt64, keyed_distinct: UInt64, rekeyed_rows: UInt64 }),
          // Rows under each batch's own key: a retry across a crash must not have stored a batch twice. A re-keyed batch
          // is stored twice raw, by design (a new key is a new request): the readers above count it once.
          `SELECT countIf(NOT endsWith(ingest_key, '-again')) AS keyed_rows,
                uniqExactIf(event_id, NOT endsWith(ingest_key, '-again')) AS keyed_distinct,
                countIf(endsWith(ingest_key, '-again')) AS rekeyed_rows
           FROM events WHERE tenant_id = {tenant:String}`,
          tenant!,
        );
        const [parts] = await queryRows(store.client, z.object({ detached: UInt64 }), 'SELECT count() AS detached FROM system.detached_parts', {});
        const sentIds = new Set(sent.map((e) => e.event_id));
        const lost = [...acknowledged].filter((id) => !storedIds.has(id)).length;
        const phantoms = [...storedIds].filter((id) => !sentIds.has(id)).length;
        const pathDuplicates = Object.values(queryPaths).reduce((n, [got, want]) => n + Math.abs(got! - want!), 0);
        const duplicates = counts!.keyed_rows - counts!.keyed_distinct + pathDuplicates;
        const expected = expectedRollups(sent);
        const rollups = await storedRollups(store.client, tenant!.tenant);
        const rollupCellsDiffering = differingCells(expected, rollups).length;
        recordFaultFigures('crash', {
          events: EVENTS,
          lost,
          duplicates,
          phantoms,
          kills: KILLS,
          restart_to_2xx_ms: restartToAck,
          extra: {
            ...summary,
            rekeyed_raw_rows: counts!.rekeyed_rows,
            statuses: summary.statuses,
            detached_parts: parts!.detached,
            rollup_cells_differing: rollupCellsDiffering,
            query_paths: queryPaths,
          },
        });
        expect({ lost, phantoms, duplicates, rollupCellsDiffering }).toEqual({ lost: 0, phantoms: 0, duplicates: 0, rollupCellsDiffering: 0 });
        expect(storedIds.size).toBe(EVENTS);
      } finally {
        await store.close();
      }
    },
  );
});
