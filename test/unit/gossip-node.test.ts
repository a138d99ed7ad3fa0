import { describe, expect, it } from 'vitest';
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
