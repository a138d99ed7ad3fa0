import * as dgram from 'node:dgram';
import * as net from 'node:net';
import { describe, expect, it } from 'vitest';
import { freePort } from '../integration/cluster-harness.js';
import { GossipAgent } from '../../src/agent/gossip/gossip-agent.js';
import { resolveGossipConfig } from '../../src/gossip/config.js';
import type { GossipMessage, MemberMeta } from '../../src/gossip/messages.js';
import { GossipTransport } from '../../src/transport/gossip-transport.js';
import { decodeGossip, encodeGossip, WireDrop } from '../../src/transport/gossip-wire.js';
import { silentLogger, type Logger } from '../../src/util/logger.js';

const meta: MemberMeta = { role: 'client', datacenter: 'dc1', rpcAddr: '', apiAddr: '', version: '0.1.0' };


async function until(what: string, ok: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('gossip wire format', () => {
  it('round-trips every message type with its news', () => {
    const news = [
      { kind: 'alive' as const, name: 'a', incarnation: 3, addr: '127.0.0.1:8301', meta },
      { kind: 'suspect' as const, name: 'b', incarnation: 2, from: 'a' },
      { kind: 'dead' as const, name: 'c', incarnation: 9, from: 'c' },
    ];
    const msgs = [
      { type: 'ping' as const, seq: 7, target: 'b', from: 'a', news },
      { type: 'indirect-ping' as const, seq: 8, target: 'c', targetAddr: '127.0.0.3:8301', wantNack: true, from: 'a', news: [] },
      { type: 'ack' as const, seq: 7, from: 'b', news },
      { type: 'nack' as const, seq: 8, from: 'b', news: [] },
      { type: 'gossip' as const, from: 'a', news },
      { type: 'push-pull' as const, from: 'a', join: true, reply: false, members: [{ name: 'a', addr: '127.0.0.1:8301', incarnation: 3, state: 'left' as const, meta }] },
    ];
    for (const m of msgs) expect(decodeGossip('roster', encodeGossip('roster', m))).toEqual(m);
  });

  it('drops a member announcing a malformed API or RPC address (agents would dial it)', () => {
    const bad = { type: 'gossip' as const, from: 'x', news: [{ kind: 'alive' as const, name: 'x', incarnation: 1, addr: '127.0.0.1:8301', meta: { ...meta, role: 'server' as const, apiAddr: '[::1]:8502' } }] };
    expect(() => decodeGossip('roster', encodeGossip('roster', bad))).toThrow(/bad apiAddr/);
  });

  it('carries a server\'s Raft cluster id in its metadata', () => {
    const serverMeta: MemberMeta = { role: 'server', datacenter: 'dc1', rpcAddr: '127.0.0.1:8300', apiAddr: '127.0.0.1:8502', version: '0.1.0', clusterId: 'c0ffee' };
    const m = { type: 'gossip' as const, from: 'n1', news: [{ kind: 'alive' as const, name: 'n1', incarnation: 2, addr: '127.0.0.1:8301', meta: serverMeta }] };
    expect(decodeGossip('roster', encodeGossip('roster', m))).toEqual(m);
  });

  it('refuses garbage, another pool and another version, naming the reason', () => {
    const drop = (bytes: Uint8Array): string => {
      try {
        decodeGossip('roster', bytes);
      } catch (err) {
        if (err instanceof WireDrop) return err.reason;
        throw err;
      }
      return 'accepted';
    };
    expect(drop(Buffer.from('definitely not protobuf \xff\xff\xff'))).toBe('malformed');
    expect(drop(encodeGossip('other-pool', { type: 'gossip', from: 'a', news: [] }))).toBe('foreign');
    expect(drop(Buffer.from([0x08, 0x02, 0x12, 0x06, ...Buffer.from('roster')]))).toBe('version');
    expect(drop(encodeGossip('roster', { type: 'ping', seq: 1, target: '', from: 'a', news: [] }))).toBe('malformed');
  });
});

describe('GossipAgent on real sockets', () => {
  it('two agents join over UDP and TCP; bad packets are dropped and counted; a stopped agent is declared failed', async () => {
    const config = resolveGossipConfig({ probeIntervalMs: 200, probeTimeoutMs: 100, suspicionMult: 2 });
    const [pa, pb] = [await freePort('127.0.0.1'), await freePort('127.0.0.1')];
    const a = await GossipAgent.start({ name: 'a', addr: `127.0.0.1:${pa}`, meta, cluster: 'roster', config, join: [], logger: silentLogger });
    const b = await GossipAgent.start({ name: 'b', addr: `127.0.0.1:${pb}`, meta, cluster: 'roster', config, join: [`127.0.0.1:${pa}`], logger: silentLogger });
    try {
      await until('both see both', () => a.members().length === 2 && b.members().every((m) => m.state === 'alive') && b.members().length === 2);
      const sock = dgram.createSocket('udp4');
      await new Promise<void>((r) => sock.send(Buffer.from('\xff garbage'), pa, '127.0.0.1', () => r()));
      await new Promise<void>((r) => sock.send(encodeGossip('elsewhere', { type: 'gossip', from: 'x', news: [] }), pa, '127.0.0.1', () => r()));
      sock.close();
      await until('drops counted', () => a.drops.malformed === 1 && a.drops.foreign === 1);
      expect(a.members().find((m) => m.name === 'b')?.state).toBe('alive');
      const failed: string[] = [];
      a.on('member', (e) => {
        if (e.type === 'failed') failed.push(e.member.name);
      });
      await b.stop();
      await until('b declared failed', () => failed.includes('b'));
    } finally {
      await a.stop();
      await b.stop();
    }
  });
});

describe('GossipTransport: addresses', () => {
  it('sends UDP and opens TCP from the member\'s own address, so a member at 127.0.0.2 is seen as 127.0.0.2', async () => {
    const [pa, pb] = [await freePort('127.0.0.2'), await freePort('127.0.0.3')];
    const seen: { from: string; type: string }[] = [];
    const ppMsg = { type: 'push-pull' as const, from: 'a', join: true, reply: false, members: [] };
    const a = await GossipTransport.start({ bind: `127.0.0.2:${pa}`, cluster: 'roster', packetBytes: 1400, logger: silentLogger, onMessage: () => undefined, onPushPull: () => undefined });
    const b = await GossipTransport.start({
      bind: `127.0.0.3:${pb}`,
      cluster: 'roster',
      packetBytes: 1400,
      logger: silentLogger,
      onMessage: (from, msg) => seen.push({ from, type: msg.type }),
      onPushPull: (from, msg) => {
        seen.push({ from, type: msg.type });
        return { ...ppMsg, from: 'b', reply: true };
      },
    });
    try {
      a.send(`127.0.0.3:${pb}`, { type: 'gossip', from: 'a', news: [] });
      const reply = await a.pushPull(`127.0.0.3:${pb}`, ppMsg);
      expect(reply).toMatchObject({ type: 'push-pull', from: 'b', reply: true });
      await until('the gossip packet', () => seen.length === 2);
      const byType = Object.fromEntries(seen.map((x) => [x.type, x.from]));
      // UDP from the bound socket itself; TCP from the bound host, on an ephemeral port.
      expect(byType.gossip).toBe(`127.0.0.2:${pa}`);
      expect(byType['push-pull']).toMatch(/^127\.0\.0\.2:\d+$/);
    } finally {
      await a.close();
      await b.close();
    }
  });
});

describe('GossipAgent: joining', () => {
  it('a seed that is not up yet: each failed attempt is logged at info with the seed and the error, and the join completes once it is up', async () => {
    const config = resolveGossipConfig({ probeIntervalMs: 200, probeTimeoutMs: 100 });
    const [pa, pb] = [await freePort('127.0.0.1'), await freePort('127.0.0.1')];
    const lines: { level: string; msg: string; fields: Record<string, unknown> }[] = [];
    const logger: Logger = {
      debug: (msg, fields = {}) => lines.push({ level: 'debug', msg, fields }),
      info: (msg, fields = {}) => lines.push({ level: 'info', msg, fields }),
      warn: (msg, fields = {}) => lines.push({ level: 'warn', msg, fields }),
      error: (msg, fields = {}) => lines.push({ level: 'error', msg, fields }),
    };
    const seed = `127.0.0.1:${pa}`;
    const b = await GossipAgent.start({ name: 'b', addr: `127.0.0.1:${pb}`, meta, cluster: 'roster', config, join: [seed], logger });
    let a: GossipAgent | undefined;
    try {
      await until('a failed attempt logged', () => lines.some((l) => l.msg === 'gossip join attempt failed; retrying'));
      const failed = lines.find((l) => l.msg === 'gossip join attempt failed; retrying')!;
      expect(failed).toMatchObject({ level: 'info', fields: { seed, attempt: 1 } });
      expect(String(failed.fields.error)).toMatch(/ECONNREFUSED/);
      expect(b.joinPending).toBe(true);
      a = await GossipAgent.start({ name: 'a', addr: seed, meta, cluster: 'roster', config, join: [], logger: silentLogger });
      await until('b joined through its seed', () => !b.joinPending, 5000);
      expect(lines.find((l) => l.msg === 'gossip joined')).toMatchObject({ level: 'info', fields: { seed } });
      expect(b.joinAttempts).toBeGreaterThanOrEqual(2);
      await until('both see both', () => a!.members().length === 2 && b.members().length === 2);
    } finally {
      await b.stop();
      await a?.stop();
    }
  });
});

describe('GossipTransport bounds what peers can make it hold', () => {
  it('refuses an oversized TCP frame at its length, closes connections beyond the limit, and reads a frame sent byte by byte', async () => {
    const port = await freePort('127.0.0.1');
    const received: GossipMessage[] = [];
    const t = await GossipTransport.start({
      bind: `127.0.0.1:${port}`,
      cluster: 'roster',
      packetBytes: 1400,
      logger: silentLogger,
      onMessage: (_from, msg) => received.push(msg),
      onPushPull: () => undefined,
      limits: { maxFrameBytes: 64 * 1024, maxConnections: 2 },
    });
    const connect = (): Promise<net.Socket> =>
      new Promise((resolve, reject) => {
        const s = net.connect({ host: '127.0.0.1', port }, () => resolve(s));
        s.on('error', reject);
      });
    const closed = (s: net.Socket): Promise<void> => new Promise((r) => (s.destroyed ? r() : s.once('close', () => r())));
    try {
      // A 16 MiB length: refused as soon as the length arrives, nothing more is read.
      const big = await connect();
      const head = Buffer.alloc(4);
      head.writeUInt32BE(16 * 1024 * 1024);
      big.write(head);
      await closed(big);
      await until('oversized counted', () => t.drops.oversized === 1);
      // Two idle connections are held; a third is closed at once and counted.
      const idle = [await connect(), await connect()];
      await new Promise((r) => setTimeout(r, 50)); // both accepted by the server
      const third = await connect();
      await closed(third);
      await until('busy counted', () => t.drops.busy === 1);
      for (const s of idle) s.destroy();
      await Promise.all(idle.map(closed));
      // A frame of over 30 KB, sent one byte at a time at first, then the rest: read whole.
      const news = Array.from({ length: 600 }, (_, i) => ({ kind: 'alive' as const, name: `member-${i}`, incarnation: i, addr: `127.0.0.1:${1000 + i}`, meta }));
      const msg: GossipMessage = { type: 'gossip', from: 'x', news };
      const body = encodeGossip('roster', msg);
      expect(body.length).toBeGreaterThan(30_000);
      const frame = Buffer.concat([Buffer.alloc(4), body]);
      frame.writeUInt32BE(body.length);
      await until('slots free again', () => t.openConnections === 0);
      const s = await connect();
      for (let i = 0; i < 100; i++) s.write(frame.subarray(i, i + 1));
      s.end(frame.subarray(100));
      await until('message delivered', () => received.length === 1);
      expect(received[0]).toEqual(msg);
    } finally {
      await t.close();
    }
  });
});
