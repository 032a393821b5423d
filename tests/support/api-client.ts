import { readFileSync } from 'node:fs';
import path from 'node:path';

/** The web API as a browser calls it: sign in over HTTP, then tRPC queries and mutations with the session cookie. */

export const cookieOf = (res: Response): string =>
  res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');

export function signIn(url: string, email: string, password: string): Promise<Response> {
  return fetch(`${url}/api/auth/sign-in/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: url },
    body: JSON.stringify({ email, password }),
  });
}

/**
 * A query without input (GET) or a mutation (POST); `query` sends the input as a GET query instead. `headers` go with
 * the request beside the cookie (the embedded desktop panel's Authorization, say).
 */
export async function callApi(
  url: string,
  cookie: string,
  path: string,
  input?: unknown,
  options: { query?: boolean; headers?: Record<string, string> } = {},
): Promise<{ status: number; data: unknown; message?: string }> {
  const headers = { ...(cookie ? { cookie } : {}), ...options.headers };
  const res =
    input === undefined || options.query
      ? await fetch(`${url}/api/trpc/${path}${input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`}`, { headers })
      : await fetch(`${url}/api/trpc/${path}`, {
          method: 'POST',
          headers: { ...headers, origin: url, 'content-type': 'application/json' },
          body: JSON.stringify(input),
        });
  const body = (await res.json()) as { result?: { data: unknown }; error?: { message: string } };
  return { status: res.status, data: body.result?.data, ...(body.error ? { message: body.error.message } : {}) };
}

/** Signs in as the seeded demo tenant's first member of `role` (from `<dataDir>/demo-users.json`); returns the cookie. */
export async function signInAsDemo(url: string, dataDir: string, role: string): Promise<string> {
  const users = JSON.parse(readFileSync(path.join(dataDir, 'demo-users.json'), 'utf8')) as { role: string; email: string; password: string }[];
  const user = users.find((u) => u.role === role);
  if (!user) throw new Error(`the demo tenant has no ${role}`);
  const res = await signIn(url, user.email, user.password);
  if (res.status !== 200) throw new Error(`signing in as the demo ${role} answered ${res.status}: ${await res.text()}`);
  return cookieOf(res);
}
