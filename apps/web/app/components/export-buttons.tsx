'use client';

import { useMutation } from '@tanstack/react-query';
import { downloadArrow, downloadCsv, type ExportColumn } from '../lib/export';
import { useTRPC } from '../lib/trpc';

/** CSV and Arrow IPC downloads of a table's full data (not just what is scrolled into view); each export goes in the audit trail. */
export function ExportButtons<T>({ columns, rows, filename, label }: { columns: ExportColumn<T>[]; rows: T[]; filename: string; label: string }) {
  const trpc = useTRPC();
  const record = useMutation(trpc.session.recordExport.mutationOptions());
  const exported = (format: 'csv' | 'arrow') => record.mutate({ what: label, format, rows: rows.length });
  return (
    <span className="export">
      <button
        type="button"
        className="ghost small"
        onClick={() => {
          downloadCsv(columns, rows, filename);
          exported('csv');
        }}
        aria-label={`Export ${label} as CSV`}
        data-testid="export-csv"
      >
        CSV
      </button>
      <button
        type="button"
        className="ghost small"
        onClick={() => {
          void downloadArrow(columns, rows, filename);
          exported('arrow');
        }}
        aria-label={`Export ${label} as Arrow`}
        data-testid="export-arrow"
      >
        Arrow
      </button>
    </span>
  );
}
