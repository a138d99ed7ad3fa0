import type { GossipConfig } from '../../../src/gossip/config.js';
import { seededRng } from '../../../src/util/rng.js';
import { GossipWorld } from './gossip-world.js';

export interface ScenarioOptions {
  readonly members: number;
  readonly seed: number;
  readonly loss: number;
  readonly lifeguard: boolean;
  readonly config?: Partial<GossipConfig>;
}

/** What one run measured; times in ms of simulated time, undefined when it never happened. */
export interface ScenarioResult {
  /** A new member known alive by every member, after its join. */
  readonly joinConvergedMs: number | undefined;
  /** A crashed member known dead by every live member, after the crash. */
  readonly crashKnownMs: number | undefined;
  /** Share of live members (the starved one aside) that knew of the crash 15 s after it. */
  readonly crashReach: number;
  /** Live members (not the crashed one) declared dead by anyone, with a starved member among them. */
  readonly falseDeaths: number;
  /** Distinct suspicions (member, incarnation) of live members (refuted in time unless counted above). */
  readonly falseSuspicions: number;
  /** After a partition of 15 s heals, every member alive in every view again. */
  readonly partitionHealedMs: number | undefined;
  /** A graceful leave known as left by every member; and seen as failed by anyone. */
  readonly leaveKnownMs: number | undefined;
  readonly leaveSeenAsFailed: number;
  readonly packetsPerMemberPerSecond: number;
}

const BOOT_LIMIT_MS = 120_000;

/**
 * One seeded run of every measured situation, in sequence on one pool of `members`:
 *  1. the pool forms (each member joins through one of the first three) and converges;
 *  2. one member is starved of CPU (everything it receives or sends waits up to three probe
 *     timeouts) for the rest of the run: it must never be declared dead;
 *  3. a new member joins: time until everyone knows it;
 *  4. a member crashes: time until every live member knows it is dead;
 *  5. a member leaves gracefully: time until everyone knows, and nobody calls it failed;
 *  6. a fifth of the pool is partitioned away for 15 s, then healed: time until every view is
 *     whole again.
 */
export function runScenario(o: ScenarioOptions): ScenarioResult {
  const rng = seededRng(o.seed ^ 0x5eed);
  const w = new GossipWorld({ seed: o.seed, loss: o.loss, delayMs: [1, 10], config: { ...o.config, lifeguard: o.lifeguard } });
  const n = o.members;
  const names = Array.from({ length: n }, (_, i) => `m${i + 1}`);
  const seeds = [1, 2, 3].map((i) => w.addrOf(i));
  w.start(names[0]!);
  for (const name of names.slice(1)) w.at(rng.int(2000), () => w.start(name, seeds));
  const everyoneAlive = (): boolean => w.members.size === n && names.every((name) => w.allSee(name, ['alive']));
  if (w.runUntilTrue(everyoneAlive, BOOT_LIMIT_MS, 100) === undefined) throw new Error(`seed ${o.seed}: ${n} members did not converge within ${BOOT_LIMIT_MS} ms`);
  w.runUntil(w.now + 5000);

  const slow = names[4 + rng.int(n - 4)]!;
  w.members.get(slow)!.slowMs = 3 * w.config.probeTimeoutMs;
  const eventsFrom = w.events.length;

  // 3. a join
  const joiner = `m${n + 1}`;
  let t0 = w.now;
  w.start(joiner, [w.addrOf(1 + rng.int(n))]);
  const joined = w.runUntilTrue(() => w.allSee(joiner, ['alive']), t0 + 30_000);
  const joinConvergedMs = joined === undefined ? undefined : joined - t0;
  w.runUntil(w.now + 5000);

  // 4. a crash
  let victim = names[4 + rng.int(n - 4)]!;
  while (victim === slow) victim = names[4 + rng.int(n - 4)]!;
  t0 = w.now;
  w.crash(victim);
  const except = new Set([slow]);
  const crashKnown = (): boolean => w.allSee(victim, ['dead'], except);
  let known = w.runUntilTrue(crashKnown, t0 + 15_000, 50);
  const live = [...w.members.values()].filter((m) => m.up && m.name !== victim && m.name !== slow);
  const crashReach = live.filter((m) => m.node.member(victim)?.state === 'dead').length / live.length;
  known ??= w.runUntilTrue(crashKnown, t0 + 120_000, 50);
  const crashKnownMs = known === undefined ? undefined : known - t0;

  // 5. a leave
  let leaver = names[4 + rng.int(n - 4)]!;
  while (leaver === slow || leaver === victim) leaver = names[4 + rng.int(n - 4)]!;
  t0 = w.now;
  w.leave(leaver);
  // Gossip reaches nearly everyone within a second; the rare member every copy missed learns at
  // the next push-pull (anti-entropy), so the wait allows for one push-pull interval or two.
  const left = w.runUntilTrue(() => w.allSee(leaver, ['left'], except), t0 + 120_000, 50);
  const leaveKnownMs = left === undefined ? undefined : left - t0;
  w.runUntil(w.now + 2000);
  w.crash(leaver);
  w.runUntil(w.now + 10_000);

  // 6. a partition of a fifth of the pool
  const stillUp = [...w.members.values()].filter((m) => m.up).map((m) => m.name);
  const cut = new Set(rng.shuffle([...stillUp]).slice(0, Math.floor(stillUp.length / 5)));
  const faultsEnd = w.events.length;
  w.partition((name) => (cut.has(name) ? 1 : 0));
  w.runUntil(w.now + 15_000);
  w.heal();
  t0 = w.now;
  const healed = w.runUntilTrue(() => stillUp.every((name) => w.allSee(name, ['alive'])), t0 + 300_000, 200);
  const partitionHealedMs = healed === undefined ? undefined : healed - t0;

  const upNow = new Set([...w.members.values()].filter((m) => m.up).map((m) => m.name));
  const steady = w.events.slice(eventsFrom, faultsEnd);
  const wronglyDead = new Set(steady.filter((e) => e.type === 'failed' && upNow.has(e.member.name)).map((e) => e.member.name));
  return {
    joinConvergedMs,
    crashKnownMs,
    crashReach,
    falseDeaths: wronglyDead.size,
    falseSuspicions: new Set(steady.filter((e) => e.type === 'suspect' && upNow.has(e.member.name)).map((e) => `${e.member.name}@${e.member.incarnation}`)).size,
    partitionHealedMs,
    leaveKnownMs,
    leaveSeenAsFailed: w.events.filter((e) => e.type === 'failed' && e.member.name === leaver).length,
    packetsPerMemberPerSecond: w.packetsSent / n / (w.now / 1000),
  };
}
