import { describe, expect, it } from 'vitest';
import { Awareness } from '../../src/gossip/awareness.js';
import { BroadcastQueue } from '../../src/gossip/broadcast-queue.js';
import { GOSSIP_PROFILES, GossipConfigError, LAN_DEFAULTS, resolveGossipConfig, suspicionConfirmations } from '../../src/gossip/config.js';
import type { News } from '../../src/gossip/messages.js';
import { pushPullIntervalMs, retransmitLimit, suspicionRemainingMs, suspicionTimeoutMs } from '../../src/gossip/scaling.js';
import { Suspicion } from '../../src/gossip/suspicion.js';

const suspect = (name: string, incarnation: number): News => ({ kind: 'suspect', name, incarnation, from: 'x' });

describe('gossip scaling (memberlist constants)', () => {
  it('suspicion grows with log10 N, never below one round of the multiplier', () => {
    expect(suspicionTimeoutMs(4, 1, 1000)).toBe(4000);
    expect(suspicionTimeoutMs(4, 10, 1000)).toBe(4000);
    expect(suspicionTimeoutMs(4, 100, 1000)).toBe(8000);
    expect(suspicionTimeoutMs(4, 200, 1000)).toBe(9204);
  });
  it('retransmits scale with ceil(log10(N + 1)); push-pull slows above 32 members', () => {
    expect(retransmitLimit(4, 3)).toBe(4);
    expect(retransmitLimit(4, 50)).toBe(8);
    expect(retransmitLimit(4, 200)).toBe(12);
    expect(pushPullIntervalMs(30_000, 32)).toBe(30_000);
    expect(pushPullIntervalMs(30_000, 64)).toBe(60_000);
    expect(pushPullIntervalMs(30_000, 200)).toBe(120_000);
  });
  it('Lifeguard suspicion shrinks from max to min on a log scale of confirmations', () => {
    expect(suspicionRemainingMs(1000, 6000, 2, 0)).toBe(6000);
    expect(suspicionRemainingMs(1000, 6000, 2, 1)).toBe(2845);
    expect(suspicionRemainingMs(1000, 6000, 2, 2)).toBe(1000);
    expect(suspicionRemainingMs(1000, 6000, 0, 0)).toBe(1000);
  });
});

describe('Suspicion', () => {
  it('counts each distinct accuser once, up to the expected number, and moves its deadline in', () => {
    const s = new Suspicion(100, 1000, 6000, 2, 'a');
    expect(s.deadline()).toBe(6100);
    expect(s.confirm('a', 200)).toBe(false);
    expect(s.confirm('b', 200)).toBe(true);
    expect(s.confirm('b', 200)).toBe(false);
    expect(s.deadline()).toBe(2945);
    expect(s.confirm('c', 200)).toBe(true);
    expect(s.confirm('d', 200)).toBe(false);
    expect(s.deadline()).toBe(1100);
    expect(s.view()).toEqual({ startedAt: 100, deadline: 1100, timeoutMs: 1000, confirmations: 2, expected: 2, minMs: 1000, maxMs: 6000, accusers: [{ name: 'a', at: 100 }, { name: 'b', at: 200 }, { name: 'c', at: 200 }] });
  });
});

describe('Awareness', () => {
  it('scales timeouts by score + 1, bounded between 0 and max - 1', () => {
    const a = new Awareness(8);
    a.apply(-3);
    expect(a.score).toBe(0);
    expect(a.scale(500)).toBe(500);
    a.apply(3);
    expect(a.scale(500)).toBe(2000);
    a.apply(100);
    expect(a.score).toBe(7);
  });
});

describe('BroadcastQueue', () => {
  it('keeps one piece of news per member, the newest', () => {
    const q = new BroadcastQueue();
    q.enqueue(suspect('a', 1));
    q.enqueue(suspect('a', 2));
    q.enqueue(suspect('b', 1));
    expect(q.size).toBe(2);
    expect(q.take(10_000, 10).map((n) => `${n.name}${n.incarnation}`)).toEqual(['b1', 'a2']);
  });
  it('hands out the least transmitted first and drops news after the limit', () => {
    const q = new BroadcastQueue();
    q.enqueue(suspect('a', 1));
    expect(q.take(10_000, 2)).toHaveLength(1);
    q.enqueue(suspect('b', 1));
    expect(q.take(10_000, 2).map((n) => n.name)).toEqual(['b', 'a']); // a reached its limit
    expect(q.take(10_000, 2).map((n) => n.name)).toEqual(['b']);
    expect(q.size).toBe(0);
  });
  it('fits news into the byte budget', () => {
    const q = new BroadcastQueue();
    for (let i = 0; i < 100; i++) q.enqueue(suspect(`member-${i}`, 1));
    const taken = q.take(400, 5);
    expect(taken.length).toBeGreaterThan(0);
    expect(taken.length).toBeLessThan(100);
    expect(q.size).toBe(100);
  });
});

describe('resolveGossipConfig', () => {
  it("defaults to memberlist's LAN profile", () => {
    expect(resolveGossipConfig()).toEqual(LAN_DEFAULTS);
    expect(LAN_DEFAULTS).toMatchObject({ probeIntervalMs: 1000, probeTimeoutMs: 500, indirectChecks: 3, suspicionMult: 4, retransmitMult: 4, gossipIntervalMs: 200, gossipNodes: 3, pushPullIntervalMs: 30_000 });
  });
  it('names the field it refuses', () => {
    expect(() => resolveGossipConfig({ probeIntervalMs: 0 })).toThrow(/^gossip probeIntervalMs: must be a positive integer/);
    expect(() => resolveGossipConfig({ probeTimeoutMs: 1000 })).toThrow(/probeTimeoutMs: must be below probeIntervalMs/);
    expect(() => resolveGossipConfig({ packetBytes: 100 })).toThrow(GossipConfigError);
    expect(() => resolveGossipConfig({ indirectChecks: -1 })).toThrow(/indirectChecks/);
    expect(() => resolveGossipConfig({ suspicionMult: 0 })).toThrow(/suspicionMult: must be a positive number/);
    expect(() => resolveGossipConfig({ suspicionConfirmations: -1 })).toThrow(/suspicionConfirmations/);
    expect(() => resolveGossipConfig({ suspicionConfirmations: 1.5 })).toThrow(/suspicionConfirmations/);
  });
  it("Lifeguard's K is memberlist's suspicionMult - 2 unless set; profiles resolve", () => {
    expect(suspicionConfirmations(LAN_DEFAULTS)).toBe(2);
    expect(suspicionConfirmations(resolveGossipConfig({ suspicionMult: 3 }))).toBe(1);
    expect(suspicionConfirmations(resolveGossipConfig({ suspicionMult: 1.5 }))).toBe(0);
    expect(suspicionConfirmations(resolveGossipConfig({ suspicionMult: 4, suspicionConfirmations: 3 }))).toBe(3);
    expect(resolveGossipConfig(GOSSIP_PROFILES.lan)).toEqual(LAN_DEFAULTS);
    const fast = resolveGossipConfig(GOSSIP_PROFILES['fast-lan']);
    expect(fast).toMatchObject({ probeIntervalMs: 1000, probeTimeoutMs: 500, indirectChecks: 3, retransmitMult: 4, gossipIntervalMs: 200, gossipNodes: 3 });
    expect(suspicionTimeoutMs(fast.suspicionMult, 200, fast.probeIntervalMs)).toBe(3452);
  });
});
