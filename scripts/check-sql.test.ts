import { describe, expect, it } from 'vitest';
import { checkSql, checkSqlSource } from './check-sql.ts';

const check = (code: string) => checkSqlSource('snippet.ts', code);

describe('SQL built from values (scripts/check-sql.ts)', () => {
  it('holds for this repository', () => {
    expect(checkSql()).toEqual([]);
  });

  it('flags a template with a value, concatenation, sql.raw of a variable, and the same behind a const, a join or a wrapper', () => {
    const problems = check(`
      export async function read(client, db, tenantId: string, column: string, parts: string[]) {
        await client.query({ query: \`SELECT * FROM events WHERE tenant_id = '\${tenantId}'\`, format: 'JSONEachRow' });
        await queryRows(client, Row, 'SELECT * FROM events WHERE tenant_id = ' + tenantId, {});
        await db.execute(sql\`select \${sql.raw(column)} from agents\`);
        const text = \`ALTER TABLE events DELETE WHERE agent_id = '\${tenantId}'\`;
        await client.command({ query: text });
        await client.exec({ query: \`SELECT 1 WHERE \${parts.join(' AND ')}\` });
        const count = (where: string) => client.query({ query: where });
        await count(\`SELECT count() FROM events WHERE tenant_id = '\${tenantId}'\`);
        // sql-safe:
        await pglite.exec(\`vacuum \${column}\`);
      }
    `);
    expect(problems).toEqual([
      'snippet.ts:3: client.query: tenantId is a parameter',
      'snippet.ts:4: queryRows: tenantId is a parameter',
      'snippet.ts:5: sql.raw: column is a parameter',
      'snippet.ts:7: client.command: text ← tenantId is a parameter',
      'snippet.ts:8: client.exec: parts.join(…) is not in allowedFragments',
      'snippet.ts:10: count: tenantId is a parameter',
      'snippet.ts:12: pglite.exec: column is a parameter',
    ]);
  });

  it('passes literals, bound parameters, drizzle sql, constants, closed lookups, allow-listed helpers and // sql-safe: with a reason', () => {
    const problems = check(`
      const TABLE = 'events';
      const SPAN_S = 2 * 86_400;
      const byGrain = { day: 'toDate(interval_start, {tz:String})', hour: 'toStartOfHour(interval_start)' } as const;
      export async function read(client, db, params: { tenantId: string; grain: 'day' | 'hour'; ids?: string[] }, pattern: RegExp, text: string) {
        await client.query({ query: 'SELECT 1', format: 'JSONEachRow' });
        await queryRows(client, Row, \`SELECT * FROM \${TABLE} WHERE tenant_id = {tenantId:String} AND at > now() - INTERVAL \${SPAN_S} SECOND\`, params);
        await queryRows(client, Row, \`SELECT \${byGrain[params.grain]} AS bucket FROM t \${params.ids ? 'AND id IN {ids:Array(String)}' : ''}\`, params);
        await db.execute(sql\`select * from agents where tenant_id = \${params.tenantId}\`);
        await db.execute(sql\`select * from \${sql.identifier(TABLE)}\`);
        await queryRows(client, Row, \`SELECT count() FROM events WHERE \${windowsSql('occurred_at').where}\`, params);
        for (const table of ['events', 'ingest_rejections']) await client.command({ query: \`ALTER TABLE \${table} MATERIALIZE TTL\` });
        pattern.exec(text);
        // sql-safe: the name comes from the catalogue, quoted by format(%I).
        await pglite.exec(\`vacuum \${text}\`);
      }
    `);
    expect(problems).toEqual([]);
  });
});
