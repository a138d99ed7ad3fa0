import { describe, expect, it, vi } from 'vitest';
import { GossipAgent } from '../../src/agent/gossip/gossip-agent.js';
import { LAN_DEFAULTS, resolveGossipConfig } from '../../src/gossip/config.js';
import { GossipNode } from '../../src/gossip/gossip-node.js';
import { MAX_ACCUSED_INCARNATION, MAX_ALIVE_INCARNATION } from '../../src/gossip/incarnation-bounds.js';
import type { GossipMessage, MemberMeta, News } from '../../src/gossip/messages.js';
import { GossipTransport } from '../../src/transport/gossip-transport.js';
import { decodeGossip, encodeGossip } from '../../src/transport/gossip-wire.js';
import { droppedCount } from '../../src/util/dropped.js';
import { silentLogger } from '../../src/util/logger.js';
import { seededRng } from '../../src/util/rng.js';
import { freePort } from '../integration/cluster-harness.js';

const META: MemberMeta = { role: 'server', datacenter: 'dc1', rpcAddr: '10.0.0.1:8300', apiAddr: '10.0.0.1:8500', version: '0.1.0' };

/** A member that has heard (by gossip) that `others` are alive at incarnation 1. */
function member(name: string, others: readonly string[]): GossipNode {
  const node = new GossipNode({ name, addr: `${name}:7946`, meta: META, config: LAN_DEFAULTS, rng: seededRng(name.length), now: 0 });
  node.receive('z:7946', { type: 'gossip', from: 'z', news: others.map((o) => ({ kind: 'alive' as const, name: o, incarnation: 1, addr: `${o}:7946`, meta: META })) }, 0);
  return node;
}

const dead = (name: string, incarnation: number): News => ({ kind: 'dead', name, incarnation, from: 'attacker' });

/** The alive news `node` now spreads about itself, as another member would decode it off the wire. */
function refutationOnTheWire(node: GossipNode): News | undefined {
  const out = node.tick(60_000);
  for (const p of out.packets) {
    if (p.msg.type === 'push-pull') continue;
    const decoded = decodeGossip('roster', encodeGossip('roster', p.msg));
    const news = decoded.type === 'push-pull' ? undefined : decoded.news.find((n) => n.kind === 'alive' && n.name === 'x');
    if (news !== undefined) return news;
  }
  return undefined;
}

describe('forged gossip incarnations', () => {
  it('a DEAD at 2^53 - 1 for a healthy member (the 37-byte packet) is dropped, counted, and changes nobody', () => {
    const x = member('x', ['p']);
    const p = member('p', ['x']);
    const forged: GossipMessage = { type: 'gossip', from: 'attacker', news: [dead('x', 2 ** 53 - 1)] };
    const atX = x.receive('a:1', forged, 10);
    const atP = p.receive('a:1', forged, 10);
    expect(atX.dropped).toEqual({ reason: 'incarnation-out-of-bounds', count: 1 });
    expect(atP.dropped).toEqual({ reason: 'incarnation-out-of-bounds', count: 1 });
    expect(x.incarnation).toBe(1);
    expect(p.member('x')).toMatchObject({ state: 'alive', incarnation: 1 });
    expect(atP.events).toEqual([]);
  });

  it('a forged leave of a healthy member, told only to another, is undone: the member hears of it when it next talks, and refutes', () => {
    const x = member('x', ['p']);
    const p = member('p', ['x']);
    // As if x left (DEAD naming x as its sender), at an incarnation a forger can pick; x never hears it.
    p.receive('a:1', { type: 'gossip', from: 'attacker', news: [{ kind: 'dead', name: 'x', incarnation: 1000, from: 'x' }] }, 10);
    expect(p.member('x')).toMatchObject({ state: 'left', incarnation: 1000 });
    // x talks to p (a probe): p tells x, at x's own address, what it holds.
    const out = p.receive('x:7946', { type: 'ping', seq: 1, target: 'p', from: 'x', news: [] }, 20);
    const told = out.packets.find((pk) => pk.to === 'x:7946' && pk.msg.type === 'gossip');
    expect(told?.msg).toMatchObject({ news: [{ kind: 'dead', name: 'x', incarnation: 1000, from: 'x' }] });
    // Once per probe interval, however often x talks (or a forger claims to be x).
    expect(p.receive('a:1', { type: 'gossip', from: 'x', news: [] }, 30).packets.filter((pk) => pk.to === 'x:7946' && pk.msg.type === 'gossip')).toEqual([]);
    x.receive('p:7946', told!.msg, 25);
    expect(x.incarnation).toBe(1001);
    const refutation = refutationOnTheWire(x);
    p.receive('x:7946', { type: 'gossip', from: 'x', news: [refutation!] }, 40);
    expect(p.member('x')).toMatchObject({ state: 'alive', incarnation: 1001 });
  });

  it('the highest accusation taken can always be refuted: the refutation survives the wire and every member takes it', () => {
    const x = member('x', ['p']);
    const p = member('p', ['x']);
    const forged: GossipMessage = { type: 'gossip', from: 'attacker', news: [dead('x', MAX_ACCUSED_INCARNATION)] };
    expect(p.receive('a:1', forged, 10).dropped).toBeUndefined();
    expect(p.member('x')).toMatchObject({ state: 'dead', incarnation: MAX_ACCUSED_INCARNATION });
    x.receive('a:1', forged, 10);
    expect(x.incarnation).toBe(MAX_ACCUSED_INCARNATION + 1);
    const refutation = refutationOnTheWire(x);
    expect(refutation).toMatchObject({ kind: 'alive', name: 'x', incarnation: MAX_ACCUSED_INCARNATION + 1 });
    const back = p.receive('x:7946', { type: 'gossip', from: 'x', news: [refutation!] }, 20);
    expect(back.dropped).toBeUndefined();
    expect(p.member('x')).toMatchObject({ state: 'alive', incarnation: MAX_ACCUSED_INCARNATION + 1 });
  });

  it('alive news is taken up to its own, higher bound; accusations and alive news above theirs are dropped', () => {
    const p = member('p', ['x', 'y']);
    const alive = (name: string, incarnation: number): News => ({ kind: 'alive', name, incarnation, addr: `${name}:7946`, meta: META });
    expect(p.receive('a:1', { type: 'gossip', from: 'a', news: [alive('x', MAX_ALIVE_INCARNATION)] }, 10).dropped).toBeUndefined();
    expect(p.member('x')?.incarnation).toBe(MAX_ALIVE_INCARNATION);
    const out = p.receive('a:1', { type: 'gossip', from: 'a', news: [alive('y', MAX_ALIVE_INCARNATION + 1), { kind: 'suspect', name: 'y', incarnation: MAX_ACCUSED_INCARNATION + 1, from: 'a' }] }, 10);
    expect(out.dropped).toEqual({ reason: 'incarnation-out-of-bounds', count: 2 });
    expect(p.member('y')).toMatchObject({ state: 'alive', incarnation: 1 });
  });

  it('in a push-pull, only the records out of bounds are dropped: the rest of the state is merged', () => {
    const p = member('p', ['x']);
    const out = p.receive(
      'q:7946',
      {
        type: 'push-pull',
        from: 'q',
        join: false,
        reply: true,
        members: [
          { name: 'x', addr: 'x:7946', incarnation: 2 ** 52, state: 'dead', meta: META },
          { name: 'q', addr: 'q:7946', incarnation: 3, state: 'alive', meta: META },
        ],
      },
      10,
    );
    expect(out.dropped).toEqual({ reason: 'incarnation-out-of-bounds', count: 1 });
    expect(p.member('x')).toMatchObject({ state: 'alive', incarnation: 1 });
    expect(p.member('q')).toMatchObject({ state: 'alive', incarnation: 3 });
  });

  it('news in bounds reads as before: the same message, no drop reported', () => {
    const p = member('p', ['x']);
    const out = p.receive('a:1', { type: 'gossip', from: 'a', news: [{ kind: 'suspect', name: 'x', incarnation: 1, from: 'a' }] }, 10);
    expect(out.dropped).toBeUndefined();
    expect(p.member('x')?.state).toBe('suspect');
  });
});

describe('the 37-byte forged DEAD over real UDP', () => {
  it('is counted as roster_dropped_total{site="gossip-core"} by the agent, and both members stay alive at incarnation 1', async () => {
    const host = '127.0.0.1';
    const config = resolveGossipConfig({ probeIntervalMs: 200, probeTimeoutMs: 100, pushPullIntervalMs: 2000 });
    const [aAddr, bAddr, attackerAddr] = await Promise.all([0, 1, 2].map(async () => `${host}:${await freePort(host)}`));
    const start = (name: string, addr: string, join: string[]) => GossipAgent.start({ name, addr, meta: META, cluster: 'forged', config, join, logger: silentLogger });
    const a = await start('a', aAddr!, []);
    const b = await start('b', bAddr!, [aAddr!]);
    const attacker = await GossipTransport.start({ bind: attackerAddr!, cluster: 'forged', packetBytes: 1400, logger: silentLogger, onMessage: () => {}, onPushPull: () => undefined });
    try {
      await vi.waitFor(() => expect(a.member('b')?.state === 'alive' && b.member('a')?.state === 'alive').toBe(true), { timeout: 10_000 });
      const before = droppedCount('gossip-core', 'incarnation-out-of-bounds');
      for (const to of [aAddr!, bAddr!]) attacker.send(to, { type: 'gossip', from: 'x', news: [dead('a', 2 ** 53 - 1)] });
      await vi.waitFor(() => expect(droppedCount('gossip-core', 'incarnation-out-of-bounds')).toBe(before + 2), { timeout: 5000 });
      expect(a.member('a')).toMatchObject({ state: 'alive', incarnation: 1 });
      expect(b.member('a')).toMatchObject({ state: 'alive', incarnation: 1 });
    } finally {
      await attacker.close();
      await b.stop();
      await a.stop();
    }
  }, 30_000);
});
