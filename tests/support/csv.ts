/**
 * RFC 4180 CSV to rows of cells: quoted fields may hold commas, doubled quotes and line
 * breaks; CRLF or LF ends a record; a trailing line break adds no empty record. Written
 * here rather than reusing the app's papaparse, so an export is read by a second parser.
 */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"' && cell === '') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (quoted) throw new Error('CSV ends inside a quoted field');
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

/** Header and records as objects keyed by the header's names; every record must have the header's width. */
export function parseCsvRecords(text: string): { header: string[]; records: Record<string, string>[] } {
  const [header, ...rest] = parseCsv(text);
  if (!header) throw new Error('CSV is empty: no header row');
  const records = rest.map((cells, n) => {
    if (cells.length !== header.length) throw new Error(`CSV record ${n + 1} has ${cells.length} cells, the header ${header.length}`);
    return Object.fromEntries(header.map((h, j) => [h, cells[j]!]));
  });
  return { header, records };
}
