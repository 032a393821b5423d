import { lookup as dnsLookup } from 'node:dns/promises';
import type { LookupAddress, LookupOptions } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP, isIPv4 } from 'node:net';

/**
 * The one guard for URLs that tenant admins type in and the server then fetches (single
 * sign-on discovery, webhooks): without it such a URL reaches the loopback interface, the
 * private network or the cloud metadata service from inside (server-side request forgery).
 */
export interface OutboundOptions {
  /**
   * Hosts the operator trusts (SWITCHBOARD_OUTBOUND_ALLOW_HOSTS), as `name`, `name:port`,
   * `10.0.0.7:8443` or `[fd00::7]`: reachable over http and at any address.
   */
  allowHosts?: readonly string[];
  /** The addresses of a name; node:dns lookup by default. */
  resolve?: (host: string) => Promise<string[]>;
}

export type OutboundCheck = { ok: true; url: URL; addresses: string[] } | { ok: false; reason: string };

// Ranges a URL typed by a tenant must not reach, by what they are (IANA special-purpose
// registries). IPv6 forms that embed an IPv4 address are checked by the address they embed.
const refusedRanges: [label: string, ranges: [network: string, prefix: number][]][] = [
  [
    'an unspecified ("this network") address',
    [
      ['0.0.0.0', 8],
      ['::', 128],
    ],
  ],
  [
    'a loopback address',
    [
      ['127.0.0.0', 8],
      ['::1', 128],
    ],
  ],
  [
    'a private address',
    [
      ['10.0.0.0', 8],
      ['172.16.0.0', 12],
      ['192.168.0.0', 16],
      ['fc00::', 7],
    ],
  ],
  ['a shared (carrier-grade NAT) address', [['100.64.0.0', 10]]],
  [
    'a link-local address (where cloud metadata services answer)',
    [
      ['169.254.0.0', 16],
      ['fe80::', 10],
    ],
  ],
  [
    'a multicast address',
    [
      ['224.0.0.0', 4],
      ['ff00::', 8],
    ],
  ],
  [
    'a reserved address',
    [
      ['192.0.0.0', 24],
      ['192.0.2.0', 24],
      ['192.88.99.0', 24],
      ['198.18.0.0', 15],
      ['198.51.100.0', 24],
      ['203.0.113.0', 24],
      ['240.0.0.0', 4], // includes the broadcast address 255.255.255.255
      ['64:ff9b:1::', 48], // local-use NAT64
      ['100::', 64], // discard-only
      ['2001::', 32], // Teredo: a tunnel to an address it hides
      ['2001:db8::', 32],
      ['fec0::', 10], // site-local, deprecated
    ],
  ],
];
const refusedLists = refusedRanges.map(([label, ranges]) => {
  const list = new BlockList();
  for (const [network, prefix] of ranges) list.addSubnet(network, prefix, isIPv4(network) ? 'ipv4' : 'ipv6');
  return { label, list };
});

/** Names that point inside wherever they are resolved (RFC 6761, 6762, 8375 and the .internal TLD, e.g. metadata.google.internal). */
const localNames = /(^|\.)(localhost|localdomain|local|internal|home\.arpa)$/;

/** The eight 16-bit groups of an IPv6 address (zone dropped), or null when it is not one. */
function ipv6Groups(address: string): number[] | null {
  let host: string;
  try {
    // The URL parser canonicalises every spelling (dotted tails, zeros) to compressed hex.
    host = new URL(`http://[${address.split('%')[0]}]/`).hostname.slice(1, -1);
  } catch {
    return null;
  }
  const [head = '', tail] = host.split('::');
  const groups = (part: string) => (part === '' ? [] : part.split(':').map((g) => parseInt(g, 16)));
  if (tail === undefined) return groups(head);
  const left = groups(head);
  const right = groups(tail);
  return [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
}

/** The IPv4 address inside an IPv4-mapped, IPv4-compatible, NAT64 (64:ff9b::/96) or 6to4 (2002::/16) address. */
function embeddedIpv4(g: number[]): string | null {
  const quad = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  if (g.slice(0, 5).every((x) => x === 0) && (g[5] === 0 || g[5] === 0xffff)) return quad(g[6]!, g[7]!);
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return quad(g[6]!, g[7]!);
  if (g[0] === 0x2002) return quad(g[1]!, g[2]!);
  return null;
}

function rangeOf(address: string, family: 'ipv4' | 'ipv6'): string | null {
  return refusedLists.find(({ list }) => list.check(address, family))?.label ?? null;
}

/** What makes this address refused ("a loopback address"), or null for a public address. */
function refusedAddress(address: string): string | null {
  if (isIPv4(address)) return rangeOf(address, 'ipv4');
  const groups = ipv6Groups(address);
  if (!groups) return 'not an IP address';
  // BlockList also checks an IPv4-mapped address (::ffff:a.b.c.d) against the IPv4 ranges.
  const label = rangeOf(groups.map((x) => x.toString(16)).join(':'), 'ipv6');
  if (label) return label;
  const inner = embeddedIpv4(groups);
  const innerLabel = inner && rangeOf(inner, 'ipv4');
  return innerLabel ? `an address that stands for ${inner}, ${innerLabel}` : null;
}

interface AllowedHost {
  host: string;
  port: string | null;
}

/** One allowlist entry as host (lower case, canonical IP) and optional port; throws a sentence when it is not one. */
function parseAllowHost(entry: string): AllowedHost {
  const match = /^(\[[^\]]+\]|[^:[\]/@?#\s]+)(?::(\d{1,5}))?$/.exec(entry);
  const port = match?.[2];
  if (!match || (port !== undefined && (Number(port) < 1 || Number(port) > 65535))) {
    throw new Error(`"${entry}" is not a host name or host:port (write IPv6 addresses in brackets, e.g. [fd00::7]:8443)`);
  }
  let host: string;
  try {
    host = new URL(`http://${match[1]}/`).hostname;
  } catch {
    throw new Error(`"${entry}" is not a host name or host:port`);
  }
  return { host: host.replace(/\.$/, ''), port: port ?? null };
}

/** SWITCHBOARD_OUTBOUND_ALLOW_HOSTS (comma-separated) as canonical entries; throws a sentence naming a wrong entry. */
export function parseOutboundAllowHosts(text: string): string[] {
  return text
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry) => {
      const { host, port } = parseAllowHost(entry);
      return port === null ? host : `${host}:${port}`;
    });
}

async function resolveWithDns(host: string): Promise<string[]> {
  return (await dnsLookup(host, { all: true, verbatim: true })).map((a) => a.address);
}

/**
 * Checks a URL before anything is fetched from it: https only (http for an allowlisted host),
 * no credentials in it, and a host that neither is nor resolves to (any of its addresses) a
 * loopback, private, link-local, shared, multicast or reserved address, nor a local name.
 * `addresses` are the ones checked: connect to them (fetchOutbound does), not to a new lookup.
 */
export async function checkOutboundUrl(input: string | URL, options: OutboundOptions = {}): Promise<OutboundCheck> {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return { ok: false, reason: 'not a valid URL' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, reason: `${url.protocol} URLs are not accepted: use https` };
  if (url.username !== '' || url.password !== '') return { ok: false, reason: 'a URL with a user name or password in it is not accepted' };
  const host = url.hostname.replace(/\.$/, '');
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  const allowed = (options.allowHosts ?? []).map(parseAllowHost).some((a) => a.host === host && (a.port === null || a.port === port));
  if (url.protocol === 'http:' && !allowed) return { ok: false, reason: 'http URLs are not accepted: use https' };

  const literal = host.startsWith('[') ? host.slice(1, -1) : isIPv4(host) ? host : null;
  if (literal !== null) {
    const refused = allowed ? null : refusedAddress(literal);
    return refused ? { ok: false, reason: `${literal} is ${refused}` } : { ok: true, url, addresses: [literal] };
  }
  if (!allowed && localNames.test(host)) return { ok: false, reason: `${host} is a local name` };
  // A name without a dot goes through the resolver's search domains: an intranet name.
  if (!allowed && !host.includes('.')) return { ok: false, reason: `${host} is not a fully qualified name` };
  let addresses: string[];
  try {
    addresses = await (options.resolve ?? resolveWithDns)(host);
  } catch {
    return { ok: false, reason: `${host} could not be resolved` };
  }
  if (addresses.length === 0) return { ok: false, reason: `${host} could not be resolved` };
  for (const address of allowed ? [] : addresses) {
    const refused = refusedAddress(address);
    if (refused) return { ok: false, reason: `${host} resolves to ${address}, ${refused}` };
  }
  return { ok: true, url, addresses };
}

/** A refused URL, a timeout, an oversized answer, too many redirects or a failed connection: the message says which. */
export class OutboundError extends Error {
  override name = 'OutboundError';
  /** The guard refused the URL or a redirect: nothing was sent there, and asking again would be refused again. */
  constructor(
    message: string,
    readonly refused = false,
  ) {
    super(message);
  }
}

export interface OutboundRequest extends OutboundOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  /** For the whole exchange, redirects included; 10 s by default. */
  timeoutMs?: number;
  /** Largest body read (each redirect's too); 1 MiB by default. */
  maxBytes?: number;
}

export interface OutboundResponse {
  /** The URL that answered, after redirects. */
  url: string;
  status: number;
  headers: Headers;
  body: Buffer;
}

const MAX_REDIRECTS = 3;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** Headers that carry the caller's credentials: not sent on to another origin. */
const CREDENTIAL_HEADERS = ['authorization', 'cookie', 'proxy-authorization'];

/**
 * Fetches a URL that passed checkOutboundUrl, connecting only to the addresses that were checked
 * (a name that resolves differently a moment later, DNS rebinding, changes nothing) with the
 * name kept for the Host header and TLS. Follows at most 3 redirects, checking each; throws
 * OutboundError for anything but an answer.
 */
export async function fetchOutbound(input: string, request: OutboundRequest = {}): Promise<OutboundResponse> {
  const timeoutMs = request.timeoutMs ?? 10_000;
  const maxBytes = request.maxBytes ?? 1024 * 1024;
  const signal = AbortSignal.timeout(timeoutMs);
  let target = input;
  let method = (request.method ?? 'GET').toUpperCase();
  let body = request.body;
  let headers: Record<string, string> = Object.fromEntries(Object.entries(request.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  for (let redirects = 0; ; redirects++) {
    const checked = await untilAborted(checkOutboundUrl(target, request), signal, timeoutMs);
    // The reason names the host, never the whole URL (it may hold a token).
    if (!checked.ok) throw new OutboundError(`${redirects === 0 ? 'refused' : 'refused a redirect'}: ${checked.reason}`, true);
    const response = await send(checked.url, checked.addresses, { method, headers, body, signal, maxBytes, timeoutMs });
    const location = REDIRECTS.has(response.status) ? response.headers.get('location') : null;
    if (location === null) return response;
    if (redirects === MAX_REDIRECTS) throw new OutboundError(`${checked.url.host} redirected more than ${MAX_REDIRECTS} times`);
    const next = new URL(location, checked.url);
    if (next.origin !== checked.url.origin) headers = Object.fromEntries(Object.entries(headers).filter(([k]) => !CREDENTIAL_HEADERS.includes(k)));
    // As browsers do: 303, and 301/302 after a POST, continue as a GET without the body.
    if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === 'POST')) {
      method = 'GET';
      body = undefined;
      headers = Object.fromEntries(Object.entries(headers).filter(([k]) => k !== 'content-type' && k !== 'content-length'));
    }
    target = next.href;
  }
}

async function untilAborted<T>(work: Promise<T>, signal: AbortSignal, timeoutMs: number): Promise<T> {
  const aborted = new Promise<never>((_, reject) => {
    const onAbort = () => reject(new OutboundError(`no answer within ${timeoutMs} ms`));
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  return Promise.race([work, aborted]);
}

/** A lookup for the socket that answers with the addresses already checked, never asking DNS again. */
function pinnedLookup(addresses: string[]) {
  return (
    _host: string,
    options: LookupOptions,
    callback: (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
  ) => {
    const family = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : options.family;
    const all = addresses.map((address) => ({ address, family: isIP(address) })).filter((a) => !family || a.family === family);
    const first = all[0];
    if (!first) callback(Object.assign(new Error('no checked address of this family'), { code: 'ENOTFOUND' }), '', 0);
    else if (options.all) callback(null, all);
    else callback(null, first.address, first.family);
  };
}

function send(
  url: URL,
  addresses: string[],
  init: { method: string; headers: Record<string, string>; body: string | Uint8Array | undefined; signal: AbortSignal; maxBytes: number; timeoutMs: number },
): Promise<OutboundResponse> {
  const tooLarge = () => new OutboundError(`the answer from ${url.host} is larger than ${init.maxBytes} bytes`);
  return new Promise((resolve, reject) => {
    const fail = (error: Error) => {
      if (error instanceof OutboundError) reject(error);
      else if (init.signal.aborted) reject(new OutboundError(`no answer from ${url.host} within ${init.timeoutMs} ms`));
      else reject(new OutboundError(`could not fetch from ${url.host}: ${(error as NodeJS.ErrnoException).code ?? error.message}`));
    };
    const onResponse = (res: IncomingMessage) => {
      if (Number(res.headers['content-length'] ?? 0) > init.maxBytes) {
        fail(tooLarge());
        req.destroy();
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= init.maxBytes) chunks.push(chunk);
        else {
          fail(tooLarge());
          req.destroy();
        }
      });
      res.on('error', fail);
      res.on('end', () => {
        try {
          const headers = new Headers();
          for (let i = 0; i < res.rawHeaders.length; i += 2) headers.append(res.rawHeaders[i]!, res.rawHeaders[i + 1]!);
          resolve({ url: url.href, status: res.statusCode ?? 0, headers, body: Buffer.concat(chunks) });
        } catch (error) {
          fail(error as Error); // a header value Headers will not hold
        }
      });
    };
    // agent: false, so no pooled connection made for another lookup is reused.
    const options = { method: init.method, headers: init.headers, signal: init.signal, agent: false, lookup: pinnedLookup(addresses) };
    const req = url.protocol === 'https:' ? httpsRequest(url, options, onResponse) : httpRequest(url, options, onResponse);
    req.on('error', fail);
    req.end(init.body);
  });
}
