import { BlockList, isIP } from 'node:net';

/** The proxies whose X-Forwarded-For is believed (SWITCHBOARD_TRUSTED_PROXIES). */
export interface TrustedProxies {
  has(address: string): boolean;
}

/** An address as one spelling: IPv4-mapped IPv6 (a dual-stack socket's ::ffff:10.0.0.1) as IPv4, a port or brackets dropped. */
function normalize(entry: string): string | null {
  let address = entry.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(address);
  if (bracketed) address = bracketed[1]!;
  else if (/^[\d.]+:\d+$/.test(address)) address = address.slice(0, address.lastIndexOf(':'));
  const mapped = /^::ffff:([\d.]+)$/i.exec(address);
  if (mapped && isIP(mapped[1]!) === 4) address = mapped[1]!;
  return isIP(address) ? address.toLowerCase() : null;
}

/** SWITCHBOARD_TRUSTED_PROXIES: comma-separated addresses or CIDRs; throws a sentence naming a wrong entry. */
export function parseTrustedProxies(text: string): TrustedProxies {
  const list = new BlockList();
  for (const entry of text.split(',').map((e) => e.trim())) {
    if (entry === '') continue;
    const [address = '', prefix] = entry.split('/');
    const family = isIP(address);
    const bits = prefix === undefined ? null : /^\d{1,3}$/.test(prefix) ? Number(prefix) : NaN;
    if (family === 0 || (bits !== null && !(bits <= (family === 4 ? 32 : 128)))) {
      throw new Error(`"${entry}" is not an address or CIDR (e.g. 10.0.0.5, 10.0.0.0/8, fd00::/8)`);
    }
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (bits === null) list.addAddress(address, type);
    else list.addSubnet(address, bits, type);
  }
  return {
    has(address) {
      const normal = normalize(address);
      return normal !== null && list.check(normal, isIP(normal) === 4 ? 'ipv4' : 'ipv6');
    },
  };
}

/**
 * The client's address: the socket's, unless the socket is a trusted proxy; then the right-most
 * X-Forwarded-For entry that is not itself a trusted proxy (entries left of it are whatever the
 * client sent). An unreadable entry there stops the walk at the last trusted hop; a chain of
 * trusted proxies only gives its left-most one.
 */
export function clientAddress(socketAddress: string | undefined, forwardedFor: string | string[] | undefined, trusted: TrustedProxies): string {
  const socket = socketAddress === undefined ? '' : (normalize(socketAddress) ?? socketAddress);
  if (forwardedFor === undefined || !trusted.has(socket)) return socket;
  let nearest = socket;
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor).split(',');
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = normalize(hops[i]!);
    if (hop === null) return nearest;
    if (!trusted.has(hop)) return hop;
    nearest = hop;
  }
  return nearest;
}
