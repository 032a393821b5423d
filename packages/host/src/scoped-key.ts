import type { IncomingMessage, ServerResponse } from 'node:http';
import { verifyApiKey, type Db } from '@switchboard/db';
import { sendJson } from '@switchboard/ingest';

/**
 * The tenant of the request's API key (`Authorization: Bearer <key>` or `X-API-Key`) when the key has `scope`;
 * otherwise answers 401 or 403 (`insufficient_scope`, saying what the key may not do) and returns null. Checked
 * against Postgres on every request, so a revoked key is refused at once: these APIs are not on ingest's hot path.
 */
export async function requireKeyScope(req: IncomingMessage, res: ServerResponse, db: Db, scope: string, mayNot: string): Promise<{ tenantId: string } | null> {
  const authorization = req.headers.authorization;
  const presented = authorization?.startsWith('Bearer ') ? authorization.slice(7).trim() : req.headers['x-api-key'];
  const key = typeof presented === 'string' && presented !== '' ? await verifyApiKey(db, presented) : null;
  if (!key) {
    sendJson(res, 401, { error: 'unauthorized', message: 'send a valid tenant API key as "Authorization: Bearer <key>"' }, { 'www-authenticate': 'Bearer' });
    return null;
  }
  if (!key.scopes.includes(scope)) {
    sendJson(
      res,
      403,
      { error: 'insufficient_scope', scope, message: `this API key may not ${mayNot}: use a key with the ${scope} scope (created on /admin)` },
      { 'www-authenticate': `Bearer error="insufficient_scope", scope="${scope}"` },
    );
    return null;
  }
  return { tenantId: key.tenantId };
}
