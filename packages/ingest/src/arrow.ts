import { DataType, tableFromIPC, Vector, type Field } from 'apache-arrow';
import { IngestHttpError } from './errors.ts';
import { tooMany, type DecodedItem } from './parse.ts';

/**
 * Arrow IPC stream: one row per event, one column per field. Timestamps may be Arrow
 * timestamps or ISO strings; 64-bit integers become numbers; list columns become arrays.
 * Each column is read once, front to back (a cell-by-cell `get` searches the record
 * batches again for every cell), then the rows are assembled for validation.
 * Runs only in the prepare threads (prepare-pool.ts): apache-arrow trusts the lengths a stream declares, so a corrupted
 * one can loop for minutes or exhaust the heap.
 */
export function decodeArrow(body: Uint8Array, maxEvents: number): DecodedItem[] {
  let table;
  try {
    table = tableFromIPC(body);
  } catch (error) {
    throw new IngestHttpError(400, 'malformed_body', `the body is not an Arrow IPC stream (${(error as Error).message})`);
  }
  if (table.numRows > maxEvents) throw tooMany(maxEvents);
  const rows: Record<string, unknown>[] = Array.from({ length: table.numRows }, () => ({}));
  table.schema.fields.forEach((field, i) => {
    const convert = converterFor(field);
    const name = field.name;
    // Assigned, __proto__ would become the row's prototype, whose fields pass validation unseen and are lost when the event
    // is copied: it is made an (unknown, so refused) field, as JSON.parse makes it.
    const own = name === '__proto__';
    let row = 0;
    // Cells are read only here: a timestamp no Date can hold throws now.
    try {
      for (const cell of table.getChildAt(i) as Vector) {
        if (cell !== null && cell !== undefined) {
          if (own) Object.defineProperty(rows[row]!, name, { value: convert(cell), enumerable: true, writable: true, configurable: true });
          else rows[row]![name] = convert(cell);
        }
        row++;
      }
    } catch (error) {
      throw new IngestHttpError(400, 'malformed_body', `column ${JSON.stringify(name)} of the Arrow stream cannot be read (${(error as Error).message})`);
    }
  });
  return rows.map((value, index) => ({ index, value }));
}

function converterFor(field: Field): (cell: unknown) => unknown {
  if (DataType.isTimestamp(field.type) || DataType.isDate(field.type)) {
    return (cell) => new Date(typeof cell === 'bigint' ? Number(cell) : (cell as number | Date)).toISOString();
  }
  if (DataType.isList(field.type)) {
    return (cell) => Array.from(cell as Iterable<unknown>, plain);
  }
  return plain;
}

/**
 * A cell as data a worker can post: struct and map cells are proxies (which cannot be cloned) and nested lists are
 * vectors; none of them is an event field, so they only have to arrive as something validation refuses.
 */
function plain(cell: unknown): unknown {
  if (typeof cell === 'bigint') return Number(cell);
  if (cell instanceof Vector) return Array.from(cell as Iterable<unknown>, plain);
  if (typeof cell === 'object' && cell !== null && !ArrayBuffer.isView(cell) && !(cell instanceof Date)) {
    const copy = Object.create(null) as Record<string, unknown>;
    for (const [key, value] of Object.entries((cell as { toJSON(): object }).toJSON?.() ?? cell)) copy[key] = plain(value);
    return copy;
  }
  return cell;
}
