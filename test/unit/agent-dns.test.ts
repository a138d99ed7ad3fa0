import * as dgram from 'node:dgram';
import * as dnsPacket from 'dns-packet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Instance } from '../../src/client/types.js';
import { DnsAnswers, RCODE, type DnsData } from '../../src/agent/dns/dns-answers.js';
import { dnsConfigFrom } from '../../src/agent/dns/dns-config.js';
import { hexOfAddress, parseDnsName } from '../../src/agent/dns/dns-names.js';
import { DnsServer } from '../../src/agent/dns/dns-server.js';
import { silentLogger } from '../../src/util/logger.js';
import { freePort } from '../integration/cluster-harness.js';

const inst = (id: string, address: string, status: Instance['status'], tags: string[] = []): Instance => ({
  key: `n1/${id}`, id, name: 'web', node: 'n1', address, port: 8080, tags, meta: {}, weights: { passing: 10, warning: 1 }, status, checks: [], modifyRevision: 1,
});

describe('DNS names', () => {
  it("parses Consul's lookup forms, with and without a datacenter, case-insensitively", () => {
    expect(parseDnsName('web.service.consul.', 'consul')).toEqual({ kind: 'service', service: 'web', tag: '', dc: undefined });
    expect(parseDnsName('V1.Web.Service.DC1.Consul', 'consul')).toEqual({ kind: 'service', service: 'web', tag: 'v1', dc: 'dc1' });
    expect(parseDnsName('_web._http.service.consul', 'consul')).toEqual({ kind: 'service', service: 'web', tag: 'http', dc: undefined });
    expect(parseDnsName('_web._tcp.service.consul', 'consul')).toEqual({ kind: 'service', service: 'web', tag: '', dc: undefined });
    expect(parseDnsName('host.with.dots.node.dc1.consul', 'consul')).toEqual({ kind: 'node', node: 'host.with.dots', dc: 'dc1' });
    expect(parseDnsName('7f000001.addr.dc1.consul', 'consul')).toEqual({ kind: 'addr', address: '127.0.0.1' });
    expect(parseDnsName('consul.', 'consul')).toEqual({ kind: 'apex' });
    expect(parseDnsName('a.b.c.service.consul', 'consul')).toEqual({ kind: 'unknown' });
    expect(parseDnsName('zz.addr.dc1.consul', 'consul')).toEqual({ kind: 'unknown' });
    expect(parseDnsName('example.com', 'consul')).toBeUndefined();
    expect(parseDnsName('web.service.roster.internal', 'roster.internal')).toMatchObject({ kind: 'service', service: 'web' });
    expect(hexOfAddress('10.0.0.5')).toBe('0a000005');
    expect(hexOfAddress('::1')).toBe('00000000000000000000000000000001');
    // IPv4-mapped IPv6, an IPv4 tail after groups, and a zone.
    expect(hexOfAddress('::ffff:10.0.0.5')).toBe('00000000000000000000ffff0a000005');
    expect(hexOfAddress('64:ff9b::192.0.2.33')).toBe('0064ff9b0000000000000000c0000221');
    expect(hexOfAddress('fe80::1%eth0')).toBe('fe800000000000000000000000000001');
    expect(hexOfAddress('2001:db8:0:0:0:0:2:1')).toBe('20010db8000000000000000000020001');
    expect(hexOfAddress('web.example')).toBeUndefined();
  });

  it('config: the api host on port 8600 by default, off, and one-line errors', () => {
    expect(dnsConfigFrom({}, '127.0.0.5:8500')).toMatchObject({ addr: '127.0.0.5:8600', explicit: false, domain: 'consul', serviceTtl: 0 });
    expect(dnsConfigFrom({ 'dns-addr': 'off' }, '127.0.0.5:8500')).toBeUndefined();
    expect(dnsConfigFrom({ 'dns-addr': '127.0.0.9:53', domain: 'Roster.Internal.', 'dns-service-ttl': 30, recursor: '1.1.1.1, 8.8.8.8:53' }, 'x:1')).toMatchObject({ addr: '127.0.0.9:53', explicit: true, domain: 'roster.internal', serviceTtl: 30, recursors: ['1.1.1.1', '8.8.8.8:53'] });
    expect(() => dnsConfigFrom({ 'dns-addr': 'nope' }, 'x:1')).toThrow(/--dns-addr must be host:port or off/);
    expect(() => dnsConfigFrom({ domain: 'bad_domain' }, 'x:1')).toThrow(/--domain must be a DNS name/);
    expect(() => dnsConfigFrom({ 'dns-node-ttl': -1 }, 'x:1')).toThrow(/--dns-node-ttl must be 0-86400/);
  });
});

describe('DNS answers', () => {
  let instances: Instance[] | undefined = [];
  const data: DnsData = { instances: () => Promise.resolve(instances), nodeAddress: (n) => Promise.resolve(n === 'n1' ? '10.0.0.1' : undefined) };
  const answers = (includeWarning = false): DnsAnswers => new DnsAnswers({ domain: 'consul', datacenter: 'dc1', serviceTtl: 5, nodeTtl: 0, includeWarning, nsAddress: '127.0.0.1', random: () => 0.5 }, data);

  it('passing instances only (warning too when asked), by tag; SRV with address targets; NXDOMAIN vs empty NOERROR', async () => {
    instances = [inst('a', '10.0.0.2', 'passing', ['v1']), inst('b', '10.0.0.3', 'warning'), inst('c', '10.0.0.4', 'critical')];
    const a = await answers().answer('web.service.consul', 'A');
    expect(a?.answers.map((r) => (r as { data: string }).data)).toEqual(['10.0.0.2']);
    expect(a?.answers[0]).toMatchObject({ ttl: 5 });
    expect((await answers(true).answer('web.service.consul', 'A'))?.answers).toHaveLength(2);
    const srv = await answers().answer('web.service.consul', 'SRV');
    expect(srv?.answers[0]).toMatchObject({ type: 'SRV', data: { port: 8080, weight: 10, target: '0a000002.addr.dc1.consul' } });
    expect(srv?.additionals[0]).toMatchObject({ type: 'A', name: '0a000002.addr.dc1.consul', data: '10.0.0.2' });
    expect((await answers().answer('v2.web.service.consul', 'A'))?.rcode).toBe(RCODE.NXDOMAIN);
    const aaaa = await answers().answer('web.service.consul', 'AAAA');
    expect(aaaa).toMatchObject({ rcode: RCODE.NOERROR, answers: [] });
    expect(aaaa?.authorities[0]).toMatchObject({ type: 'SOA' });
    instances = [inst('c', '10.0.0.4', 'critical')];
    expect((await answers().answer('web.service.consul', 'A'))?.rcode).toBe(RCODE.NXDOMAIN);
    instances = undefined;
    expect((await answers().answer('web.service.consul', 'A'))?.rcode).toBe(RCODE.SERVFAIL);
    expect((await answers().answer('n1.node.consul', 'A'))?.answers[0]).toMatchObject({ data: '10.0.0.1' });
    expect((await answers().answer('n2.node.consul', 'A'))?.rcode).toBe(RCODE.NXDOMAIN);
    expect(await answers().answer('example.com', 'A')).toBeUndefined();
  });
});

describe('DNS server', () => {
  let server: DnsServer;
  let port = 0;
  const many = Array.from({ length: 60 }, (_, i) => inst(`i${i}`, `10.2.0.${i + 1}`, 'passing'));
  beforeAll(async () => {
    port = await freePort('127.0.0.1');
    const data: DnsData = { instances: () => Promise.resolve(many), nodeAddress: () => Promise.resolve(undefined) };
    server = new DnsServer({ addr: `127.0.0.1:${port}`, answers: new DnsAnswers({ domain: 'consul', datacenter: 'dc1', serviceTtl: 0, nodeTtl: 0, includeWarning: false, nsAddress: '127.0.0.1' }, data), recursors: [], logger: silentLogger });
    await server.start();
  });
  afterAll(() => server.close());

  const ask = (msg: Buffer): Promise<dnsPacket.DecodedPacket | undefined> =>
    new Promise((resolve) => {
      const sock = dgram.createSocket('udp4');
      const t = setTimeout(() => {
        sock.close();
        resolve(undefined);
      }, 500);
      sock.on('message', (m) => {
        clearTimeout(t);
        sock.close();
        resolve(dnsPacket.decode(m));
      });
      sock.send(msg, port, '127.0.0.1');
    });

  it('cuts a UDP answer to 512 bytes with TC; drops garbage and counts it; answers the next query', async () => {
    const r = await ask(dnsPacket.encode({ type: 'query', id: 7, flags: dnsPacket.RECURSION_DESIRED, questions: [{ type: 'A', name: 'web.service.consul' }] }));
    expect(r?.id).toBe(7);
    expect(r?.flag_tc).toBe(true);
    expect(r?.flag_aa).toBe(true);
    expect(r!.answers!.length).toBeGreaterThan(0);
    expect(r!.answers!.length).toBeLessThan(60);
    const dropped = server.counters.dropped;
    expect(await ask(Buffer.from('not a dns message at all'))).toBeUndefined();
    expect(server.counters.dropped).toBe(dropped + 1);
    const edns = await ask(dnsPacket.encode({ type: 'query', id: 8, questions: [{ type: 'A', name: 'web.service.consul' }], additionals: [{ type: 'OPT', name: '.', udpPayloadSize: 4096 } as unknown as dnsPacket.Answer] }));
    expect(edns?.flag_tc).toBe(false);
    expect(edns!.answers!).toHaveLength(60);
    const refused = await ask(dnsPacket.encode({ type: 'query', id: 9, questions: [{ type: 'A', name: 'example.com' }] }));
    expect((refused as { rcode?: string } | undefined)?.rcode).toBe('REFUSED');
  });
});
