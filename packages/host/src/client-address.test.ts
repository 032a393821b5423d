import { describe, expect, it } from 'vitest';
import { clientAddress, parseTrustedProxies } from './client-address.ts';

describe('clientAddress', () => {
  const proxies = parseTrustedProxies('10.0.0.5, 192.168.0.0/16,fd00::/8');

  it('ignores X-Forwarded-For unless the socket is a trusted proxy', () => {
    expect(clientAddress('203.0.113.9', '198.51.100.1', proxies)).toBe('203.0.113.9');
    expect(clientAddress('203.0.113.9', undefined, proxies)).toBe('203.0.113.9');
    expect(clientAddress('10.0.0.5', undefined, proxies)).toBe('10.0.0.5');
    expect(clientAddress('10.0.0.6', '198.51.100.1', proxies)).toBe('10.0.0.6');
    expect(clientAddress('10.0.0.5', '198.51.100.1', parseTrustedProxies(''))).toBe('10.0.0.5');
  });

  it('takes the right-most entry that is not a trusted proxy, whatever the client put left of it', () => {
    expect(clientAddress('10.0.0.5', '198.51.100.1', proxies)).toBe('198.51.100.1');
    expect(clientAddress('10.0.0.5', '1.1.1.1, 198.51.100.1', proxies)).toBe('198.51.100.1');
    expect(clientAddress('10.0.0.5', '1.1.1.1, 198.51.100.1, 192.168.4.4', proxies)).toBe('198.51.100.1');
    expect(clientAddress('10.0.0.5', ['1.1.1.1', '198.51.100.1,192.168.4.4'], proxies)).toBe('198.51.100.1');
    expect(clientAddress('fd00::1', '2001:4860::8888', proxies)).toBe('2001:4860::8888');
  });

  it('reads the spellings proxies write, and the dual-stack socket form', () => {
    expect(clientAddress('::ffff:10.0.0.5', '198.51.100.1:5123', proxies)).toBe('198.51.100.1');
    expect(clientAddress('10.0.0.5', '[2001:4860::8888]:443', proxies)).toBe('2001:4860::8888');
    expect(clientAddress('10.0.0.5', '::FFFF:198.51.100.1', proxies)).toBe('198.51.100.1');
    expect(clientAddress('::ffff:203.0.113.9', undefined, proxies)).toBe('203.0.113.9');
  });

  it('stops at the last trusted hop on an unreadable entry, or when every hop is trusted', () => {
    expect(clientAddress('10.0.0.5', 'unknown', proxies)).toBe('10.0.0.5');
    expect(clientAddress('10.0.0.5', '198.51.100.1, garbage, 192.168.4.4', proxies)).toBe('192.168.4.4');
    expect(clientAddress('10.0.0.5', '192.168.1.1, 192.168.4.4', proxies)).toBe('192.168.1.1');
    expect(clientAddress('10.0.0.5', '', proxies)).toBe('10.0.0.5');
  });

  it('refuses a wrong SWITCHBOARD_TRUSTED_PROXIES entry by name', () => {
    for (const wrong of ['10.0.0', '10.0.0.0/33', 'fd00::/129', 'proxy.internal', '10.0.0.0/x']) {
      expect(() => parseTrustedProxies(wrong), wrong).toThrow(`"${wrong}" is not an address or CIDR`);
    }
  });
});
