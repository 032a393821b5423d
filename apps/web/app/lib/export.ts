import Papa from 'papaparse';

/** A table as exported: columns in order, each with its header and how to read a cell. */
export interface ExportColumn<T> {
  header: string;
  kind: 'number' | 'text';
  value: (row: T) => number | string | null;
}

export function download(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * CSV with a header row; empty cells for "no value" (never "—"), full precision numbers.
 * Cells that a spreadsheet would run as a formula (=, +, -, @ …) are escaped: event text
 * comes from outside.
 */
function toCsv<T>(columns: ExportColumn<T>[], rows: T[]): string {
  return Papa.unparse({ fields: columns.map((c) => c.header), data: rows.map((r) => columns.map((c) => c.value(r) ?? '')) }, { escapeFormulae: true });
}

export function downloadCsv<T>(columns: ExportColumn<T>[], rows: T[], filename: string): void {
  download(new Blob([toCsv(columns, rows)], { type: 'text/csv;charset=utf-8' }), `${filename}.csv`);
}

/** Arrow IPC stream: numbers as nullable Float64, text as Utf8. apache-arrow loads only when asked for. */
export async function downloadArrow<T>(columns: ExportColumn<T>[], rows: T[], filename: string): Promise<void> {
  const { Table, tableToIPC, vectorFromArray, Float64, Utf8 } = await import('apache-arrow');
  const vectors = Object.fromEntries(
    columns.map((c) => [
      c.header,
      c.kind === 'number'
        ? vectorFromArray(
            rows.map((r) => c.value(r) as number | null),
            new Float64(),
          )
        : vectorFromArray(
            rows.map((r) => (c.value(r) ?? '') as string),
            new Utf8(),
          ),
    ]),
  );
  const table = new Table(vectors);
  // Copied into a plain ArrayBuffer-backed array, the only kind Blob takes.
  download(new Blob([new Uint8Array(tableToIPC(table, 'stream'))], { type: 'application/vnd.apache.arrow.stream' }), `${filename}.arrow`);
}
