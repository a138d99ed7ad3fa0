import { describe, expect, it } from 'vitest';
import { LAN_DEFAULTS, resolveGossipConfig } from '../../src/gossip/config.js';
import { GossipNode, type GossipOutput } from '../../src/gossip/gossip-node.js';
import type { MemberMeta, Packet } from '../../src/gossip/messages.js';
import { seededRng } from '../../src/util/rng.js';
import { GossipWorld } from '../sim/gossip/gossip-world.js';

/** n members, m1 first, the others joining through it; run until everyone sees everyone. */
function cluster(n: number, seed = 1, opts: ConstructorParameters<typeof GossipWorld>[0] extends infer O ? Partial<O> : never = {}): GossipWorld {
  const w = new GossipWorld({ seed, ...opts });
  w.start('m1');
  for (let i = 2; i <= n; i++) w.start(`m${i}`, [w.addrOf(1)]);
  const converged = w.runUntilTrue(() => [...w.members.keys()].every((name) => w.allSee(name, ['alive'])), 10_000);
  expect(converged).toBeDefined();
  return w;
}

const seen = (w: GossipWorld, type: string, about: string): string[] => w.events.filter((e) => e.type === type && e.member.name === about).map((e) => e.observer);

describe('GossipNode (SWIM + Lifeguard) in a simulated world', () => {
  it('members joining through one seed all come to see each other alive, each announced once', () => {
    const w = cluster(5);
    for (const name of ['m2', 'm3', 'm4', 'm5']) expect(new Set(seen(w, 'joined', name)).size).toBe(4);
    expect(w.events.filter((e) => e.type === 'failed' || e.type === 'suspect')).toEqual([]);
  });

  it('a crashed member is suspected, then declared dead by every other member', () => {
    const w = cluster(5);
    const t0 = w.now;
    w.crash('m3');
    const known = w.runUntilTrue(() => w.allSee('m3', ['dead']), t0 + 60_000);
    expect(known).toBeDefined();
    // Not before the shortest suspicion (4 probe intervals at this size) has run.
    expect(known! - t0).toBeGreaterThan(4000);
    expect(new Set(seen(w, 'failed', 'm3')).size).toBe(4);
    expect(seen(w, 'suspect', 'm3').length).toBeGreaterThan(0);
    // Nobody else was touched.
    expect(w.events.filter((e) => e.type === 'failed' && e.member.name !== 'm3')).toEqual([]);
  });

  it('probes that go unanswered are counted (the probe failure metric); healthy probing counts none', () => {
    const w = cluster(5);
    const failures = (): number => [...w.members.values()].reduce((n, m) => n + m.node.probeFailures, 0);
    w.runUntil(w.now + 10_000);
    expect(failures()).toBe(0);
    w.crash('m3');
    w.runUntilTrue(() => w.allSee('m3', ['dead']), w.now + 60_000);
    expect(failures()).toBeGreaterThan(0);
    expect(w.members.get('m3')!.node.probeFailures).toBe(0);
  });

  it('force-leave: a failed member is declared left by the whole pool; a live one is left alone', () => {
    const w = cluster(5);
    w.forceLeave('m1', 'm4');
    w.runUntil(w.now + 5000);
    // m4 is alive: nothing changes.
    expect(w.allSee('m4', ['alive'])).toBe(true);
    expect(seen(w, 'left', 'm4')).toEqual([]);
    w.crash('m3');
    expect(w.runUntilTrue(() => w.allSee('m3', ['dead'], new Set(['m3'])), w.now + 60_000)).toBeDefined();
    w.forceLeave('m1', 'm3');
    expect(w.runUntilTrue(() => w.allSee('m3', ['left'], new Set(['m3'])), w.now + 5000)).toBeDefined();
    expect(new Set(seen(w, 'left', 'm3')).size).toBe(4);
    // Left is final: later suspicion or death news about m3 changes nothing.
    w.runUntil(w.now + 20_000);
    expect(w.allSee('m3', ['left'], new Set(['m3']))).toBe(true);
  });

  it('a graceful leave is seen as left, never as failed', () => {
    const w = cluster(4);
    w.leave('m2');
    expect(w.runUntilTrue(() => w.allSee('m2', ['left']), w.now + 5000)).toBeDefined();
    w.crash('m2');
    w.runUntil(w.now + 30_000);
    expect(seen(w, 'failed', 'm2')).toEqual([]);
    expect(new Set(seen(w, 'left', 'm2')).size).toBe(3);
  });

  it('a member declared dead that comes back rejoins with a higher incarnation', () => {
    const w = cluster(4);
    w.crash('m4');
    expect(w.runUntilTrue(() => w.allSee('m4', ['dead']), w.now + 60_000)).toBeDefined();
    const deadAt = w.members.get('m1')!.node.member('m4')!.incarnation;
    const back = w.start('m4', [w.addrOf(1)]);
    expect(w.runUntilTrue(() => w.allSee('m4', ['alive']), w.now + 5000)).toBeDefined();
    expect(back.node.incarnation).toBeGreaterThan(deadAt);
    expect(w.members.get('m2')!.node.member('m4')!.incarnation).toBe(back.node.incarnation);
  });

  it('a suspected member that is alive refutes, and its health score rises (Lifeguard)', () => {
    const w = cluster(5);
    // Cut m5 off for two probe intervals: someone suspects it; then it hears and refutes.
    w.partition((n) => (n === 'm5' ? 1 : 0));
    expect(w.runUntilTrue(() => w.events.some((e) => e.type === 'suspect' && e.member.name === 'm5'), w.now + 10_000)).toBeDefined();
    w.heal();
    expect(w.runUntilTrue(() => w.allSee('m5', ['alive']) && seen(w, 'alive', 'm5').length > 0, w.now + 10_000)).toBeDefined();
    expect(w.members.get('m5')!.node.incarnation).toBeGreaterThan(1);
    expect(seen(w, 'failed', 'm5')).toEqual([]);
  });

  it('an unreachable link is bridged by indirect probes: no suspicion', () => {
    const w = cluster(5);
    // m1 and m2 cannot talk directly; everyone else can reach both.
    w.blockLink('m1', 'm2');
    w.runUntil(w.now + 30_000);
    expect(w.events.filter((e) => e.type === 'suspect' || e.type === 'failed')).toEqual([]);
  });

  it('after a partition long enough for both sides to bury each other, reconnects make every view whole again', () => {
    const w = cluster(6);
    w.partition((n) => (['m1', 'm2', 'm3'].includes(n) ? 0 : 1));
    expect(w.runUntilTrue(() => w.allSee('m1', ['dead'], new Set(['m2', 'm3'])) && w.allSee('m6', ['dead'], new Set(['m4', 'm5'])), w.now + 120_000)).toBeDefined();
    w.heal();
    // Gossip to the dead has stopped by now; only the periodic reconnect to a dead member can find the other side.
    w.runUntil(w.now + 35_000);
    const t0 = w.now;
    const whole = w.runUntilTrue(() => ['m1', 'm2', 'm3', 'm4', 'm5', 'm6'].every((n) => w.allSee(n, ['alive'])), t0 + 60_000);
    expect(whole).toBeDefined();
  });

  it('metadata changes propagate as updates', () => {
    const w = cluster(3);
    const m2 = w.members.get('m2')!;
    w.emitFrom('m2', m2.node.updateMeta({ ...m2.node.member('m2')!.meta, version: '0.2.0' }));
    expect(w.runUntilTrue(() => ['m1', 'm3'].every((o) => w.members.get(o)!.node.member('m2')?.meta.version === '0.2.0'), w.now + 3000)).toBeDefined();
    expect(new Set(seen(w, 'updated', 'm2'))).toEqual(new Set(['m1', 'm3']));
  });

  it('a ping for another name at this address is dropped and counted, not answered', () => {
    const w = cluster(2);
    const m1 = w.members.get('m1')!;
    const out = m1.node.receive(w.addrOf(2), { type: 'ping', seq: 99, target: 'someone-else', from: 'm2', news: [] }, w.now);
    expect(out.packets).toEqual([]);
    expect(m1.node.misdirected).toBe(1);
  });

  it('replays exactly from its seed', () => {
    const run = (): string => {
      const w = cluster(6, 42, { loss: 0.05 });
      w.crash('m2');
      w.runUntil(w.now + 20_000);
      return JSON.stringify(w.events.map((e) => [e.observer, e.type, e.member.name, e.member.incarnation, Math.round(e.at)]));
    };
    expect(run()).toBe(run());
  });
});

const META: MemberMeta = { role: 'client', datacenter: 'dc1', rpcAddr: '10.0.0.1:8400', apiAddr: '10.0.0.1:8500', version: '0.1.0' };

/** One core, told by gossip that `others` exist (alive at incarnation 1). */
function lone(others: readonly string[], config = LAN_DEFAULTS): GossipNode {
  const node = new GossipNode({ name: 'a', addr: 'a:7946', meta: META, config, rng: seededRng(1), now: 0 });
  node.receive('x:7946', { type: 'gossip', from: 'x', news: others.map((name) => ({ kind: 'alive' as const, name, incarnation: 1, addr: `${name}:7946`, meta: META })) }, 0);
  return node;
}

describe('GossipNode: Lifeguard details', () => {
  it('relays nack before the requester gives up, so probing a crashed member through live relays costs the prober no health', () => {
    const w = cluster(6);
    w.crash('m4');
    expect(w.runUntilTrue(() => w.allSee('m4', ['dead']), w.now + 60_000)).toBeDefined();
    // Every failed probe of m4 had three live relays, each of which nacked in time.
    for (const m of w.members.values()) if (m.up) expect(m.node.healthScore).toBe(0);
  });

  it('a nack reaches the requester inside its probe: 80% of the window between the probe timeout and the interval', () => {
    const node = lone(['b', 'c']);
    const out = node.receive('c:7946', { type: 'indirect-ping', seq: 7, target: 'b', targetAddr: 'b:7946', wantNack: true, from: 'c', news: [] }, 1000);
    expect(out.packets.map((p) => p.msg.type)).toEqual(['ping']);
    expect(node.nextDeadline()).toBeLessThanOrEqual(1400);
    expect(node.tick(1399).packets.filter((p) => p.msg.type === 'nack')).toEqual([]);
    const nack = node.tick(1400).packets.filter((p) => p.msg.type === 'nack');
    expect(nack).toHaveLength(1);
    expect(nack[0]!.to).toBe('c:7946');
    // A late ack is still relayed until the full probe timeout.
    const ping = out.packets[0]!.msg as { seq: number };
    const relayed = node.receive('b:7946', { type: 'ack', seq: ping.seq, from: 'b', news: [] }, 1450);
    expect(relayed.packets.map((p) => [p.to, p.msg.type])).toEqual([['c:7946', 'ack']]);
  });

  it('a suspicion at a newer incarnation starts over: the member refuted the old one, whose confirmations do not carry over', () => {
    const node = lone(['b', 'c', 'd', 'e']);
    node.receive('c:7946', { type: 'gossip', from: 'c', news: [{ kind: 'suspect', name: 'b', incarnation: 1, from: 'c' }] }, 100);
    node.receive('d:7946', { type: 'gossip', from: 'd', news: [{ kind: 'suspect', name: 'b', incarnation: 1, from: 'd' }] }, 200);
    expect(node.suspicionOf('b')).toMatchObject({ startedAt: 100, confirmations: 1 });
    const out = node.receive('e:7946', { type: 'gossip', from: 'e', news: [{ kind: 'suspect', name: 'b', incarnation: 2, from: 'e' }] }, 5000);
    expect(out.events.map((e) => [e.type, e.member.incarnation])).toEqual([['suspect', 2]]);
    expect(node.suspicionOf('b')).toMatchObject({ startedAt: 5000, confirmations: 0, accusers: [{ name: 'e', at: 5000 }] });
    expect(node.member('b')!.incarnation).toBe(2);
  });

  it('a push-pull from a member that also holds the suspicion is not an independent confirmation', () => {
    const node = lone(['b', 'c', 'd', 'e']);
    node.receive('c:7946', { type: 'gossip', from: 'c', news: [{ kind: 'suspect', name: 'b', incarnation: 1, from: 'c' }] }, 100);
    const rec = (name: string, state: 'alive' | 'suspect' | 'dead') => ({ name, addr: `${name}:7946`, incarnation: 1, state, meta: META });
    node.receive('d:7946', { type: 'push-pull', from: 'd', join: false, reply: true, members: [rec('b', 'suspect'), rec('c', 'alive'), rec('d', 'alive'), rec('e', 'alive')] }, 200);
    node.receive('e:7946', { type: 'push-pull', from: 'e', join: false, reply: true, members: [rec('b', 'dead')] }, 300);
    expect(node.suspicionOf('b')).toMatchObject({ startedAt: 100, confirmations: 0 });
  });

  it('K (suspicionConfirmations) sets how many confirmations bring the timeout to its minimum', () => {
    const node = lone(['b', 'c', 'd', 'e'], resolveGossipConfig({ suspicionMult: 1.5, suspicionConfirmations: 1 }));
    node.receive('c:7946', { type: 'gossip', from: 'c', news: [{ kind: 'suspect', name: 'b', incarnation: 1, from: 'c' }] }, 0);
    // 5 members: min = 1.5 x max(1, log10 5) x 1 s = 1.5 s; max = 6 x min.
    expect(node.suspicionOf('b')).toMatchObject({ expected: 1, minMs: 1500, maxMs: 9000, timeoutMs: 9000 });
    node.receive('d:7946', { type: 'gossip', from: 'd', news: [{ kind: 'suspect', name: 'b', incarnation: 1, from: 'd' }] }, 10);
    expect(node.suspicionOf('b')).toMatchObject({ confirmations: 1, timeoutMs: 1500 });
  });
});

/** A core named `name` at name:7946 that has heard `others` are alive at incarnation 1. */
function memberKnowing(name: string, others: readonly string[], now = 0): GossipNode {
  const node = new GossipNode({ name, addr: `${name}:7946`, meta: META, config: LAN_DEFAULTS, rng: seededRng(name.length), now });
  node.receive('z:7946', { type: 'gossip', from: 'z', news: others.map((o) => ({ kind: 'alive' as const, name: o, incarnation: 1, addr: `${o}:7946`, meta: META })) }, now);
  return node;
}

/** Hands `to` every packet of `out` addressed to it, as from `fromAddr`; returns what it produced. */
function deliver(out: GossipOutput, fromAddr: string, to: GossipNode, toAddr: string, now: number): GossipOutput[] {
  return out.packets.filter((p) => p.to === toAddr).map((p) => to.receive(fromAddr, p.msg, now));
}

/** Ticks `node` every 50 ms from `from` until it sends a packet passing `ok`; returns that output and when. */
function tickUntil(node: GossipNode, from: number, ok: (p: Packet) => boolean, limitMs = 60_000): { out: GossipOutput; at: number } {
  for (let t = from; t <= from + limitMs; t += 50) {
    const out = node.tick(t);
    if (out.packets.some(ok)) return { out, at: t };
  }
  throw new Error('never sent');
}

/**
 * x refuted a suspicion (incarnation 1 -> 2), and p missed every copy of the refutation: p holds
 * x suspect, or dead, at incarnation 1. SWIM lets p take alive news about x only above the
 * incarnation it holds, so x's current alive news (incarnation 2) corrects it; x needs no new
 * incarnation, only to say it again when it hears p's stale news.
 */
describe('GossipNode: stale news about itself', () => {
  const missedRefutation = (): { x: GossipNode; p: GossipNode } => {
    const x = memberKnowing('x', ['p']);
    const p = memberKnowing('p', ['x']);
    x.receive('q:7946', { type: 'gossip', from: 'q', news: [{ kind: 'suspect', name: 'x', incarnation: 1, from: 'q' }] }, 10);
    p.receive('q:7946', { type: 'gossip', from: 'q', news: [{ kind: 'suspect', name: 'x', incarnation: 1, from: 'q' }] }, 10);
    expect(x.incarnation).toBe(2);
    // The refutation rides on x's next messages, all of which p misses (here: acks to q's pings).
    for (let seq = 1; x.pendingNews > 0; seq++) x.receive('q:7946', { type: 'ping', seq, target: 'x', from: 'q', news: [] }, 20);
    expect(p.member('x')).toMatchObject({ state: 'suspect', incarnation: 1 });
    return { x, p };
  };

  it("a peer that holds it suspect is corrected by the member's answer to its very next probe", () => {
    const { x, p } = missedRefutation();
    // p's probe of its suspect carries the suspicion (Lifeguard's buddy system): news older than x's incarnation.
    const { out: probe, at } = tickUntil(p, 100, (pk) => pk.to === 'x:7946' && pk.msg.type === 'ping');
    const ping = probe.packets.find((pk) => pk.to === 'x:7946' && pk.msg.type === 'ping')!;
    expect(ping.msg.type === 'ping' && ping.msg.news[0]).toMatchObject({ kind: 'suspect', name: 'x', incarnation: 1 });
    const [answer] = deliver(probe, 'p:7946', x, 'x:7946', at + 1);
    // x says it is alive again, to p directly, at the incarnation it has: nothing new happened.
    expect(x.incarnation).toBe(2);
    const direct = answer!.packets.filter((pk) => pk.to === 'p:7946' && pk.msg.type === 'gossip');
    expect(direct.map((pk) => pk.msg)).toEqual([expect.objectContaining({ news: [expect.objectContaining({ kind: 'alive', name: 'x', incarnation: 2 })] })]);
    const events = deliver(answer!, 'x:7946', p, 'p:7946', at + 2).flatMap((o) => o.events);
    expect(events.map((e) => [e.type, e.member.name, e.member.incarnation])).toEqual([['alive', 'x', 2]]);
    expect(p.member('x')).toMatchObject({ state: 'alive', incarnation: 2 });
    // Its suspicion timer is gone with it: nothing left to run out.
    expect(p.suspicionOf('x')).toBeUndefined();
  });

  it('a peer that declared it dead is corrected when its news of the death reaches the member', () => {
    const { x, p } = missedRefutation();
    // p's probes go unanswered (x's acks are lost too) until p declares x dead at incarnation 1.
    let t = 100;
    for (; p.member('x')?.state !== 'dead'; t += 50) p.tick(t);
    expect(p.member('x')).toMatchObject({ state: 'dead', incarnation: 1 });
    // p gossips the death, to the dead member too (gossip to the dead).
    const { out: gossip, at } = tickUntil(p, t, (pk) => pk.to === 'x:7946' && pk.msg.type === 'gossip');
    const [answer] = deliver(gossip, 'p:7946', x, 'x:7946', at + 1);
    expect(x.incarnation).toBe(2);
    const events = deliver(answer!, 'x:7946', p, 'p:7946', at + 2).flatMap((o) => o.events);
    expect(events.map((e) => [e.type, e.member.name, e.member.incarnation])).toEqual([['joined', 'x', 2]]);
    expect(p.member('x')).toMatchObject({ state: 'alive', incarnation: 2 });
  });

  it('stale news cannot make it flood: each sender is answered once per probe interval, and the pool told once', () => {
    const { x } = missedRefutation();
    const stale = { type: 'gossip' as const, from: 'p', news: [{ kind: 'dead' as const, name: 'x', incarnation: 1, from: 'p' }] };
    const answers = (from: string, now: number): number => x.receive(from, { ...stale, from: from.split(':')[0]! }, now).packets.filter((pk) => pk.to === from).length;
    expect(answers('p:7946', 1000)).toBe(1);
    expect(x.pendingNews).toBe(1);
    for (let i = 0; i < 100; i++) expect(answers('p:7946', 1000 + i)).toBe(0);
    expect(answers('p:7946', 1000 + LAN_DEFAULTS.probeIntervalMs)).toBe(1);
    // Many senders in one interval: at most 64 answered.
    let answered = 0;
    for (let i = 0; i < 200; i++) answered += answers(`s${i}:7946`, 5000);
    expect(answered).toBe(64);
    expect(x.incarnation).toBe(2);
  });

  it('news at its own incarnation is still refuted with a new one', () => {
    const { x } = missedRefutation();
    x.receive('p:7946', { type: 'gossip', from: 'p', news: [{ kind: 'suspect', name: 'x', incarnation: 2, from: 'p' }] }, 1000);
    expect(x.incarnation).toBe(3);
  });
});
