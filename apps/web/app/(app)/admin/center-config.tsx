'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type ChangeEvent } from 'react';
import { centerListOfFileName, centerLists, formatImportProblem, type CenterImportRequest, type CenterList } from '@switchboard/contracts';
import type { z } from 'zod';
import { describeError } from '../../lib/errors';
import { useTRPC } from '../../lib/trpc';

type ImportBody = z.input<typeof CenterImportRequest>;

function download(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = Object.assign(document.createElement('a'), { href: url, download: name });
  a.click();
  URL.revokeObjectURL(url);
}

/** The upload as the API takes it: one .json file, or CSV files named after their lists (docs/center-import.md). */
async function readUpload(files: readonly File[]): Promise<{ body: Omit<ImportBody, 'dryRun'> } | { error: string }> {
  if (files.length === 1 && files[0]!.name.toLowerCase().endsWith('.json')) {
    try {
      return { body: { json: JSON.parse(await files[0]!.text()) as unknown } };
    } catch {
      return { error: `${files[0]!.name} is not JSON` };
    }
  }
  const csv: Partial<Record<CenterList, string>> = {};
  for (const file of files) {
    const list = centerListOfFileName(file.name);
    if (!list) return { error: `${file.name}: name it after its list (${centerLists.map((l) => `${l}.csv`).join(', ')}) or upload one .json file` };
    if (csv[list] !== undefined) return { error: `two files for ${list}: upload one per list` };
    csv[list] = await file.text();
  }
  return { body: { csv } };
}

/** Export and import of the center's configuration: a dry run shows every change (or every problem) before anything is applied. */
export function CenterConfigPanel() {
  const trpc = useTRPC();
  const client = useQueryClient();
  const exported = useQuery(trpc.admin.exportConfig.queryOptions());
  const [upload, setUpload] = useState<{ names: string[]; body: Omit<ImportBody, 'dryRun'> } | null>(null);
  const [readError, setReadError] = useState<string | null>(null);
  const run = useMutation(
    trpc.admin.importConfig.mutationOptions({
      onSuccess: async (result) => {
        if (result.applied) await client.invalidateQueries({ queryKey: trpc.admin.exportConfig.queryKey() });
      },
    }),
  );
  const choose = async (e: ChangeEvent<HTMLInputElement>) => {
    const files = [...(e.target.files ?? [])];
    run.reset();
    setUpload(null);
    if (files.length === 0) return;
    const read = await readUpload(files);
    if ('error' in read) {
      setReadError(read.error);
      return;
    }
    setReadError(null);
    setUpload({ names: files.map((f) => f.name), body: read.body });
    run.mutate({ ...read.body, dryRun: true });
  };
  const result = run.data;
  return (
    <section className="panel" aria-labelledby="config-heading">
      <h2 id="config-heading">Center configuration</h2>
      <p className="muted small">
        Skills, teams, agents (skills, shifts), queues (service-level targets), bots and intents. Download them, edit them in a spreadsheet, upload them back:
        each item is added or changed by its id, nothing is deleted.
      </p>
      {exported.data && (
        <p className="actions">
          {exported.data.config.agents.length} agents, {exported.data.config.queues.length} queues, {exported.data.config.teams.length} teams. Download:{' '}
          <button type="button" className="ghost" onClick={() => download('center.json', JSON.stringify(exported.data.config, null, 2), 'application/json')}>
            JSON
          </button>
          {centerLists.map((list) => (
            <button key={list} type="button" className="ghost" onClick={() => download(`${list}.csv`, exported.data.csv[list], 'text/csv')}>
              {list}.csv
            </button>
          ))}
        </p>
      )}
      <label>
        Upload CSV files or one JSON file <input type="file" accept=".csv,.json" multiple onChange={(e) => void choose(e)} aria-label="Configuration files" />
      </label>
      {readError && (
        <p className="error" role="alert">
          {readError}
        </p>
      )}
      {run.error && (
        <p className="error" role="alert">
          {describeError(run.error)}
        </p>
      )}
      {result && result.problems.length > 0 && (
        <div role="alert" data-testid="import-problems">
          <p className="error">Nothing was changed: {result.problems.length} problem(s) to fix in the files first.</p>
          <ul>
            {result.problems.map((p) => (
              <li key={formatImportProblem(p)}>{formatImportProblem(p)}</li>
            ))}
          </ul>
        </div>
      )}
      {result?.diff && upload && (
        <div data-testid="import-diff">
          <p>{result.applied ? `Applied ${upload.names.join(', ')}:` : `What ${upload.names.join(', ')} would change:`}</p>
          <pre className="diff">{result.diff}</pre>
          {!result.applied && (
            <button type="button" onClick={() => run.mutate({ ...upload.body, dryRun: false })} disabled={run.isPending}>
              Apply these changes
            </button>
          )}
        </div>
      )}
    </section>
  );
}
