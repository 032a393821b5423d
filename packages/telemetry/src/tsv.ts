/** TabSeparated escaping: the four characters that would break a field or a row. */
const SPECIAL = /[\\\t\n\r]/;
export function escapeTsv(value: string): string {
  if (!SPECIAL.test(value)) return value;
  return value.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

/**
 * An Array(String) field in TSV: ClickHouse reads it as an array literal whose elements
 * are quoted strings, so each element gets quoted-string escaping (which also covers tab
 * and newline) and the literal itself is not escaped again.
 */
export function tsvStringArray(values: readonly string[]): string {
  return `[${values.map((v) => `'${escapeTsv(v).replace(/'/g, "\\'")}'`).join(',')}]`;
}
