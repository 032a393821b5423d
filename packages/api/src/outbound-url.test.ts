import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// Through the package's entry, as its callers (single sign-on, webhooks) will.
import { checkOutboundUrl, fetchOutbound, OutboundError, parseOutboundAllowHosts } from './index.ts';

/** Names resolve only through this table; an IP literal must not ask it at all. */
const dns: Record<string, string[]> = {
  'idp.example.com': ['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'],
  'webhooks.example.org': ['2606:4700:4700::1111'],
  'rebind.example.com': ['10.0.0.5'],
  'half.example.com': ['93.184.215.14', '127.0.0.1'],
  'metadata.example.net': ['169.254.169.254'],
  'mapped.example.net': ['::ffff:127.0.0.1'],
  'idp.internal': ['10.0.0.7'],
  'sso.example.test': ['127.0.0.1'],
};
const resolve = async (host: string) => {
  const addresses = dns[host];
  if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
  return addresses;
};

describe('checkOutboundUrl', () => {
  it.each([
    ['http://idp.example.com/', /http URLs are not accepted/],
    ['ftp://idp.example.com/', /ftp: URLs are not accepted/],
    ['file:///etc/passwd', /file: URLs are not accepted/],
    ['https://user:secret@idp.example.com/', /user name or password/],
    ['not a url', /not a valid URL/],
    ['https://127.0.0.1/', /127\.0\.0\.1 is a loopback address/],
    ['https://127.8.9.10/', /loopback/],
    ['https://2130706433/', /127\.0\.0\.1 is a loopback/], // the URL parser reads decimal, hex and short forms
    ['https://0x7f.1/', /127\.0\.0\.1 is a loopback/],
    ['https://[::1]/', /::1 is a loopback/],
    ['https://0.0.0.0/', /unspecified/],
    ['https://[::]/', /unspecified/],
    ['https://10.1.2.3/', /private/],
    ['https://172.16.0.1/', /private/],
    ['https://172.31.255.255/', /private/],
    ['https://192.168.1.1/', /private/],
    ['https://[fc00::1]/', /private/],
    ['https://[fd12:3456::1]/', /private/],
    ['https://169.254.169.254/latest/meta-data/', /169\.254\.169\.254 is a link-local address/],
    ['https://[fe80::1]/', /link-local/],
    ['https://100.64.0.1/', /carrier-grade NAT/],
    ['https://100.127.255.254/', /carrier-grade NAT/],
    ['https://224.0.0.1/', /multicast/],
    ['https://[ff02::1]/', /multicast/],
    ['https://255.255.255.255/', /reserved/],
    ['https://240.0.0.1/', /reserved/],
    ['https://192.0.2.10/', /reserved/],
    ['https://[2001:db8::1]/', /reserved/],
    ['https://[::ffff:127.0.0.1]/', /loopback/],
    ['https://[::ffff:7f00:1]/', /loopback/],
    ['https://[::ffff:169.254.169.254]/', /link-local/],
    ['https://[::127.0.0.1]/', /::7f00:1 is an address that stands for 127\.0\.0\.1, a loopback address/], // IPv4-compatible
    ['https://[64:ff9b::a9fe:a9fe]/', /stands for 169\.254\.169\.254, a link-local/], // NAT64
    ['https://[2002:c0a8:101::1]/', /stands for 192\.168\.1\.1, a private/], // 6to4
    ['https://localhost/', /localhost is a local name/],
    ['https://LOCALHOST./', /localhost is a local name/],
    ['https://app.localhost/', /local name/],
    ['https://metadata.google.internal/computeMetadata/v1/', /metadata\.google\.internal is a local name/],
    ['https://printer.local/', /local name/],
    ['https://intranet/', /not a fully qualified name/],
    ['https://rebind.example.com/', /rebind\.example\.com resolves to 10\.0\.0\.5, a private address/],
    ['https://half.example.com/', /resolves to 127\.0\.0\.1, a loopback/], // every address counts
    ['https://metadata.example.net/', /link-local/],
    ['https://mapped.example.net/', /resolves to ::ffff:127\.0\.0\.1, a loopback/],
    ['https://nowhere.example.com/', /could not be resolved/],
  ])('refuses %s', async (url, reason) => {
    const checked = await checkOutboundUrl(url, { resolve });
    expect(checked.ok).toBe(false);
    expect(!checked.ok && checked.reason).toMatch(reason);
  });

  it.each([
    ['https://idp.example.com/.well-known/openid-configuration', ['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c']],
    ['https://webhooks.example.org:8443/hook', ['2606:4700:4700::1111']],
    ['https://8.8.8.8/', ['8.8.8.8']],
    ['https://172.32.0.1/', ['172.32.0.1']], // just past 172.16/12
    ['https://100.128.0.1/', ['100.128.0.1']], // just past 100.64/10
    ['https://[2606:4700:4700::1111]/', ['2606:4700:4700::1111']],
    ['https://[::ffff:8.8.8.8]/', ['::ffff:808:808']],
    ['https://[64:ff9b::808:808]/', ['64:ff9b::808:808']],
  ])('accepts %s', async (url, addresses) => {
    const noDnsForLiterals = async (host: string) => (host.includes('.example.') ? resolve(host) : Promise.reject(new Error(`asked DNS for ${host}`)));
    expect(await checkOutboundUrl(url, { resolve: noDnsForLiterals })).toEqual({ ok: true, url: new URL(url), addresses });
  });

  it('lets the operator allow hosts, with or without a port, over http and at private addresses', async () => {
    const check = (url: string, allowHosts: string[]) => checkOutboundUrl(url, { allowHosts, resolve });
    expect((await check('http://127.0.0.1:8080/', [])).ok).toBe(false);
    expect(await check('http://127.0.0.1:8080/x', ['127.0.0.1:8080'])).toMatchObject({ ok: true, addresses: ['127.0.0.1'] });
    expect(await check('http://127.0.0.1:8080/', ['127.0.0.1'])).toMatchObject({ ok: true });
    expect(await check('http://127.0.0.1:8080/', ['127.0.0.1:9090'])).toMatchObject({ ok: false, reason: expect.stringMatching(/http URLs/) });
    expect(await check('https://127.0.0.1:8080/', ['127.0.0.1:9090'])).toMatchObject({ ok: false, reason: expect.stringMatching(/loopback/) });
    expect(await check('https://idp.internal/', ['idp.internal'])).toMatchObject({ ok: true, addresses: ['10.0.0.7'] });
    expect(await check('https://idp.internal:443/', ['IdP.Internal.:443'])).toMatchObject({ ok: true });
    expect(await check('http://[fd00::7]:8443/', ['[FD00:0::7]:8443'])).toMatchObject({ ok: true, addresses: ['fd00::7'] });
    // Allowing one host allows no other, nor the credentials rule.
    expect((await check('https://rebind.example.com/', ['idp.internal'])).ok).toBe(false);
    expect((await check('https://a:b@idp.internal/', ['idp.internal'])).ok).toBe(false);
  });

  it('reads SWITCHBOARD_OUTBOUND_ALLOW_HOSTS, and names a wrong entry', () => {
    expect(parseOutboundAllowHosts(' idp.internal , 10.0.0.7:8443,[FD00::1]:443 ,IdP.Example.COM.,')).toEqual([
      'idp.internal',
      '10.0.0.7:8443',
      '[fd00::1]:443',
      'idp.example.com',
    ]);
    expect(parseOutboundAllowHosts('')).toEqual([]);
    for (const wrong of ['http://idp.internal', 'idp.internal/x', 'idp:99999', 'fd00::1', 'user@idp', 'a b']) {
      expect(() => parseOutboundAllowHosts(wrong), wrong).toThrow(`"${wrong}" is not a host name or host:port`);
    }
  });
});

describe('fetchOutbound against a local http server', () => {
  let server: Server;
  let origin: string;
  let port: number;
  const seen: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push(req.url ?? '');
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname === '/ok') return res.end(`hello ${req.headers.host} ${req.method} auth=${req.headers.authorization ?? '-'}`);
      if (url.pathname === '/go') return res.writeHead(Number(url.searchParams.get('status') ?? 302), { location: url.searchParams.get('to')! }).end();
      if (url.pathname === '/loop') return res.writeHead(302, { location: '/loop' }).end();
      if (url.pathname === '/big') return res.writeHead(200, { 'content-length': '5000' }).end('x'.repeat(5000));
      if (url.pathname === '/big-chunked') {
        res.write('x'.repeat(800));
        return res.end('x'.repeat(800));
      }
      if (url.pathname === '/slow') return; // never answers
      if (url.pathname === '/trickle') return res.writeHead(200).write('a first part, and then nothing'); // never ends
      res.writeHead(404).end();
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    port = (server.address() as AddressInfo).port;
    origin = `http://127.0.0.1:${port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((done) => server.close(done));
  });

  const allowLocal = () => ({ allowHosts: [`127.0.0.1:${port}`] });

  it('refuses the local server unless it is allowed, without connecting; then fetches it over http', async () => {
    seen.length = 0;
    await expect(fetchOutbound(`${origin}/ok`)).rejects.toThrow('refused: http URLs are not accepted: use https');
    await expect(fetchOutbound('https://user:secret@idp.example.com/')).rejects.toThrow(/^refused: a URL with a user name or password in it is not accepted$/);
    await expect(fetchOutbound(`https://127.0.0.1:${port}/ok`)).rejects.toThrow(/127\.0\.0\.1 is a loopback address/);
    await expect(fetchOutbound(`${origin}/ok`)).rejects.toBeInstanceOf(OutboundError);
    expect(seen).toEqual([]);

    const res = await fetchOutbound(`${origin}/ok`, allowLocal());
    expect(res).toMatchObject({ url: `${origin}/ok`, status: 200 });
    expect(res.body.toString()).toBe(`hello 127.0.0.1:${port} GET auth=-`);
  });

  it('connects to the address it checked, keeping the name for the Host header', async () => {
    // sso.example.test exists in no DNS: the connection reached the stub's address.
    const res = await fetchOutbound(`http://sso.example.test:${port}/ok`, { allowHosts: ['sso.example.test'], resolve });
    expect(res.body.toString()).toBe(`hello sso.example.test:${port} GET auth=-`);
  });

  it('checks every redirect: refuses one to the metadata service or a private name, follows an allowed one', async () => {
    const go = (to: string, status = 302) => `${origin}/go?status=${status}&to=${encodeURIComponent(to)}`;
    await expect(fetchOutbound(go('http://169.254.169.254/latest/meta-data/'), allowLocal())).rejects.toThrow(/refused a redirect: http URLs are not accepted/);
    await expect(fetchOutbound(go('https://169.254.169.254/latest/meta-data/'), allowLocal())).rejects.toThrow(/169\.254\.169\.254 is a link-local/);
    await expect(fetchOutbound(go('https://rebind.example.com/'), { ...allowLocal(), resolve })).rejects.toThrow(/resolves to 10\.0\.0\.5/);

    const followed = await fetchOutbound(go('/ok', 307), { ...allowLocal(), method: 'POST', body: '{}', headers: { authorization: 'Bearer t' } });
    expect(followed).toMatchObject({ url: `${origin}/ok`, status: 200 });
    expect(followed.body.toString()).toBe(`hello 127.0.0.1:${port} POST auth=Bearer t`);
    const asGet = await fetchOutbound(go('/ok', 303), { ...allowLocal(), method: 'POST', body: '{}' });
    expect(asGet.body.toString()).toMatch(/ GET /);
  });

  it('does not carry credentials to another origin', async () => {
    const other = `http://sso.example.test:${port}/ok`;
    const res = await fetchOutbound(`${origin}/go?to=${encodeURIComponent(other)}`, {
      allowHosts: [`127.0.0.1:${port}`, 'sso.example.test'],
      resolve,
      headers: { Authorization: 'Bearer t' },
    });
    expect(res.body.toString()).toBe(`hello sso.example.test:${port} GET auth=-`);
  });

  it('follows at most 3 redirects', async () => {
    seen.length = 0;
    await expect(fetchOutbound(`${origin}/loop`, allowLocal())).rejects.toThrow(/redirected more than 3 times/);
    expect(seen).toEqual(['/loop', '/loop', '/loop', '/loop']);
  });

  it('stops reading past the size cap, declared or not', async () => {
    await expect(fetchOutbound(`${origin}/big`, { ...allowLocal(), maxBytes: 1000 })).rejects.toThrow(/larger than 1000 bytes/);
    await expect(fetchOutbound(`${origin}/big-chunked`, { ...allowLocal(), maxBytes: 1000 })).rejects.toThrow(/larger than 1000 bytes/);
    expect((await fetchOutbound(`${origin}/big`, { ...allowLocal(), maxBytes: 5000 })).body.length).toBe(5000);
  });

  it('gives up after the timeout', async () => {
    const started = Date.now();
    await expect(fetchOutbound(`${origin}/slow`, { ...allowLocal(), timeoutMs: 300 })).rejects.toThrow(/no answer from 127\.0\.0\.1:\d+ within 300 ms/);
    await expect(fetchOutbound(`${origin}/trickle`, { ...allowLocal(), timeoutMs: 300 })).rejects.toThrow(/within 300 ms/);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
