'use client';

import { downloadArrow, downloadCsv, type ExportColumn } from '../lib/export';

/** CSV and Arrow IPC downloads of a table's full data (not just what is scrolled into view). */
export function ExportButtons<T>({ columns, rows, filename, label }: { columns: ExportColumn<T>[]; rows: T[]; filename: string; label: string }) {
  return (
    <span className="export">
      <button
        type="button"
        className="ghost small"
        onClick={() => downloadCsv(columns, rows, filename)}
        aria-label={`Export ${label} as CSV`}
        data-testid="export-csv"
      >
        CSV
      </button>
      <button
        type="button"
        className="ghost small"
        onClick={() => void downloadArrow(columns, rows, filename)}
        aria-label={`Export ${label} as Arrow`}
        data-testid="export-arrow"
      >
        Arrow
      </button>
    </span>
  );
}
