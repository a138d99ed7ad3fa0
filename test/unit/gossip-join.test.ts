import { describe, expect, it } from 'vitest';
import { GossipWorld, type SimMember } from '../sim/gossip/gossip-world.js';

/** Every push-pull request a member sends, with when and to where (join rounds and periodic ones). */
function recordPushPulls(w: GossipWorld): { from: string; to: string; join: boolean; at: number }[] {
  const sent: { from: string; to: string; join: boolean; at: number }[] = [];
  w.observers.add((m: SimMember, out) => {
    for (const p of out.packets) if (p.msg.type === 'push-pull' && !p.msg.reply) sent.push({ from: m.name, to: p.to, join: p.msg.join, at: w.now });
  });
  return sent;
}

/** Every output in which a member's join completed, with the seed it completed with. */
function recordJoins(w: GossipWorld): { name: string; seed: string; at: number }[] {
  const joined: { name: string; seed: string; at: number }[] = [];
  w.observers.add((m, out) => {
    if (out.joinedSeed !== undefined) joined.push({ name: m.name, seed: out.joinedSeed, at: w.now });
  });
  return joined;
}

const everyoneSeesEveryone = (w: GossipWorld, names: readonly string[]): boolean => names.every((n) => w.allSee(n, ['alive']));

describe('GossipNode: joining until a seed answers (one pool, always)', () => {
  it('a member joined by another keeps retrying its own seeds, with back-off, until a push-pull with one completes', () => {
    const w = new GossipWorld({ seed: 1 });
    const pushPulls = recordPushPulls(w);
    const joins = recordJoins(w);
    // m1's only seed, m9, is not running; m2 joins m1, so m1 knows a member at once.
    const m1 = w.start('m1', [w.addrOf(9)]);
    const t0 = w.now;
    const m2 = w.start('m2', [w.addrOf(1)]);
    expect(w.runUntilTrue(() => everyoneSeesEveryone(w, ['m1', 'm2']), t0 + 5000)).toBeDefined();
    // m2's seed answered: one round, done.
    expect(m2.node.joinPending).toBe(false);
    expect(m2.node.joinAttempts).toBe(1);
    expect(joins).toEqual([expect.objectContaining({ name: 'm2', seed: w.addrOf(1) })]);

    w.runUntil(t0 + 30_000);
    // Knowing m2 is not enough: none of m1's seeds answered, so it kept asking, 1 s doubling to 10 s.
    expect(m1.node.joinPending).toBe(true);
    const toSeed = () => pushPulls.filter((p) => p.from === 'm1' && p.to === w.addrOf(9));
    expect(toSeed().every((p) => p.join)).toBe(true);
    const gaps = toSeed().map((p, i, all) => (i === 0 ? 0 : p.at - all[i - 1]!.at));
    expect(gaps.slice(1, 5).map((g) => Math.round(g / 1000))).toEqual([1, 2, 4, 8]);
    expect(gaps.slice(5).every((g) => g >= 10_000 && g < 10_100)).toBe(true);
    expect(m1.node.joinAttempts).toBe(toSeed().length);

    // m9 comes up alone (no seeds of its own): m1's next retry reaches it and completes the join.
    w.start('m9');
    const joinedAt = w.runUntilTrue(() => !m1.node.joinPending, w.now + 10_100);
    expect(joinedAt).toBeDefined();
    expect(joins.at(-1)).toMatchObject({ name: 'm1', seed: w.addrOf(9) });
    expect(w.runUntilTrue(() => everyoneSeesEveryone(w, ['m1', 'm2', 'm9']), w.now + 5000)).toBeDefined();
    const asked = toSeed().length;
    w.runUntil(w.now + 60_000);
    // No more join rounds; only the periodic push-pull (join: false) may still pick m9 as a member.
    expect(toSeed().filter((p) => p.join)).toHaveLength(asked);
    expect(m1.node.joinAttempts).toBe(asked);
  });

  it('two pools that formed apart but share a seed list merge through the periodic push-pull with a seed', () => {
    const w = new GossipWorld({ seed: 2, config: { pushPullIntervalMs: 5000 } });
    const pushPulls = recordPushPulls(w);
    const seeds = [w.addrOf(1), w.addrOf(3)];
    // m1 and m3 start alone (the first servers, no --join). m2 and m4 are given both as seeds,
    // but while they join, m2 reaches only m1 and m4 only m3: each join completes on its side.
    w.start('m1');
    w.start('m3');
    w.blockLink('m2', 'm3');
    w.blockLink('m4', 'm1');
    const m2 = w.start('m2', seeds);
    const m4 = w.start('m4', seeds);
    expect(w.runUntilTrue(() => w.members.get('m1')!.node.member('m2')?.state === 'alive' && w.members.get('m3')!.node.member('m4')?.state === 'alive', w.now + 5000)).toBeDefined();
    expect(m2.node.joinPending).toBe(false);
    expect(m4.node.joinPending).toBe(false);
    w.heal();
    const healedAt = w.now;
    // Two pools, nothing in common: gossip, probes, reconnects and the usual push-pull go only to
    // members already known.
    expect(w.members.get('m1')!.node.member('m3')).toBeUndefined();
    expect(w.members.get('m2')!.node.member('m4')).toBeUndefined();

    const merged = w.runUntilTrue(() => everyoneSeesEveryone(w, ['m1', 'm2', 'm3', 'm4']), healedAt + 12_000);
    expect(merged).toBeDefined();
    // It was a push-pull to the seed on the other side that did it, at a push-pull round.
    const bridge = pushPulls.find((p) => p.at > healedAt && ((p.from === 'm2' && p.to === w.addrOf(3)) || (p.from === 'm4' && p.to === w.addrOf(1))));
    expect(bridge).toMatchObject({ join: false });

    // One pool now: every seed is a live member, so rounds send one push-pull each, no extra.
    const from = w.now;
    w.runUntil(from + 60_000);
    for (const name of ['m2', 'm4']) {
      const rounds = pushPulls.filter((p) => p.from === name && p.at > from);
      expect(rounds.length).toBeLessThanOrEqual(13);
      expect(new Set(rounds.map((p) => p.at)).size).toBe(rounds.length);
    }
  });

  it('a seed that is this member itself is not joined through, and nothing is retried', () => {
    const w = new GossipWorld({ seed: 3 });
    const m1 = w.start('m1', [w.addrOf(1)]);
    expect(m1.node.joinPending).toBe(false);
    expect(m1.node.joinAttempts).toBe(0);
  });

  it('a member that leaves stops retrying its join', () => {
    const w = new GossipWorld({ seed: 4 });
    const pushPulls = recordPushPulls(w);
    const m1 = w.start('m1', [w.addrOf(9)]);
    w.runUntil(5000);
    w.leave('m1');
    expect(m1.node.joinPending).toBe(false);
    const asked = pushPulls.filter((p) => p.join).length;
    w.runUntil(60_000);
    expect(pushPulls.filter((p) => p.join)).toHaveLength(asked);
  });
});
