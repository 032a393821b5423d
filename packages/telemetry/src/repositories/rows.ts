import { z } from 'zod';
import type { ClickHouseClient } from '@clickhouse/client';

/** UInt64 arrives as a string (quoted 64-bit integers); turn it into a number at the boundary. */
export const UInt64 = z.union([z.string(), z.number()]).transform(Number);

/** ClickHouse DateTime text ('YYYY-MM-DD hh:mm:ss[.sss]', UTC) as an ISO string. */
export const ChDateTime = z.string().transform((v) => `${v.replace(' ', 'T')}${v.includes('.') ? '' : '.000'}Z`);

/** Run a bound query and parse every row with `schema`: the only way repositories read. */
export async function queryRows<T extends z.ZodType>(
  client: ClickHouseClient,
  schema: T,
  query: string,
  params: Record<string, unknown>,
): Promise<z.infer<T>[]> {
  const result = await client.query({ query, query_params: params, format: 'JSONEachRow' });
  return z.array(schema).parse(await result.json());
}

/** DateTime64(3) parameters are sent as epoch milliseconds with a fixed scale. */
export function toChDateTime(date: Date): string {
  return (date.getTime() / 1000).toFixed(3);
}
