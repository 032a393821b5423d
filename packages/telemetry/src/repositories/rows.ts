import { z } from 'zod';
import type { ClickHouseClient, ClickHouseSettings } from '@clickhouse/client';

/**
 * UInt64 arrives as a string (quoted 64-bit integers), smaller integers as numbers; either
 * becomes a number at the boundary. One transform, not a union: reports parse thousands of these.
 */
export const UInt64 = z.unknown().transform((value, ctx) => {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  ctx.addIssue({ code: 'custom', message: `expected an unsigned integer, got ${JSON.stringify(value)}` });
  return z.NEVER;
});

/** Int64 (signed: a rollup's correction, or its difference from raw events) as a number. */
export const Int64 = z.union([z.string().regex(/^-?\d+$/), z.number().int()]).transform(Number);

/** ClickHouse DateTime text ('YYYY-MM-DD hh:mm:ss[.sss]', UTC) as an ISO string. */
export const ChDateTime = z.string().transform((v) => `${v.replace(' ', 'T')}${v.includes('.') ? '' : '.000'}Z`);

/** Run a bound query and parse every row with `schema`: the only way repositories read. */
export async function queryRows<T extends z.ZodType>(
  client: ClickHouseClient,
  schema: T,
  query: string,
  params: Record<string, unknown>,
  settings?: ClickHouseSettings,
): Promise<z.infer<T>[]> {
  const result = await client.query({ query, query_params: params, format: 'JSONEachRow', clickhouse_settings: settings });
  return z.array(schema).parse(await result.json());
}

/** DateTime64(3) parameters are sent as epoch milliseconds with a fixed scale. */
export function toChDateTime(date: Date): string {
  return (date.getTime() / 1000).toFixed(3);
}
