import type { GossipConfig } from '../../../src/gossip/config.js';
import { seededRng } from '../../../src/util/rng.js';
import { trackCrash, type CrashBreakdown } from './crash-breakdown.js';
import { GossipWorld } from './gossip-world.js';
import { trackSlowMember, type SlowMemberReport } from './slow-member.js';

export interface ScenarioOptions {
  readonly members: number;
  readonly seed: number;
  readonly loss: number;
  readonly lifeguard: boolean;
  readonly config?: Partial<GossipConfig>;
  /** The starved member answers up to this many probe timeouts late (default 3). */
  readonly slowX?: number;
}

/** What one run measured; times in ms of simulated time, undefined when it never happened. */
export interface ScenarioResult {
  readonly seed: number;
  /** A new member known alive by every member, after its join. */
  readonly joinConvergedMs: number | undefined;
  /** A crashed member known dead by every live member, after the crash. */
  readonly crashKnownMs: number | undefined;
  /** Share of live members (the starved one aside) that knew of the crash 15 s after it. */
  readonly crashReach: number;
  /** Where the crash's detection time went (see crash-breakdown.ts). */
  readonly crash: CrashBreakdown;
  /** Live members (not the crashed one) declared dead by anyone, with a starved member among them. */
  readonly falseDeaths: number;
  /** Each wrong verdict: who, by whom, and who suspected it first ("(starved)" marks the starved member). */
  readonly falseDeathDetail: readonly string[];
  /** Distinct suspicions (member, incarnation) of live members (refuted in time unless counted above). */
  readonly falseSuspicions: number;
  /** The starved member: how often it was suspected, how fast refuted, how close it came. */
  readonly slow: SlowMemberReport;
  /** How long the starved member was watched for false deaths (ms of simulated time). */
  readonly slowWatchedMs: number;
  /** After a partition of 15 s heals, every member alive in every view again. */
  readonly partitionHealedMs: number | undefined;
  /** A graceful leave known as left by every member; and seen as failed by anyone. */
  readonly leaveKnownMs: number | undefined;
  readonly leaveSeenAsFailed: number;
  readonly packetsPerMemberPerSecond: number;
}

const BOOT_LIMIT_MS = 120_000;
/** How long the pool runs with its starved member before the join, crash and leave. */
const STEADY_SLOW_MS = 20_000;

/**
 * One seeded run of every measured situation, in sequence on one pool of `members`:
 *  1. the pool forms (each member joins through one of the first three) and converges;
 *  2. one member is starved of CPU for the rest of the run: it reads each message up to `slowX`
 *     (default 3) probe timeouts late, so it answers a probe up to 3x the probe timeout late, and
 *     its timers fire as late; the pool runs 20 s like that before the rest, and it must never be
 *     declared dead (before this, the delay hit both what it read and what it answered, so its
 *     answers came up to 6x the probe timeout late, twice the target's 3x);
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
  w.members.get(slow)!.slowMs = (o.slowX ?? 3) * w.config.probeTimeoutMs;
  const eventsFrom = w.events.length;
  const slowFrom = w.now;
  const slowTracker = trackSlowMember(w, slow);
  w.runUntil(w.now + STEADY_SLOW_MS);

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
  const tracker = trackCrash(w, victim, t0);
  const except = new Set([slow]);
  const crashKnown = (): boolean => w.allSee(victim, ['dead'], except);
  let known = w.runUntilTrue(crashKnown, t0 + 15_000, 50);
  const live = [...w.members.values()].filter((m) => m.up && m.name !== victim && m.name !== slow);
  const crashReach = live.filter((m) => m.node.member(victim)?.state === 'dead').length / live.length;
  known ??= w.runUntilTrue(crashKnown, t0 + 120_000, 50);
  const crashKnownMs = known === undefined ? undefined : known - t0;
  const crash = tracker.finish(known);

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
  const slowReport = slowTracker.finish();
  const slowWatchedMs = w.now - slowFrom;
  w.partition((name) => (cut.has(name) ? 1 : 0));
  w.runUntil(w.now + 15_000);
  w.heal();
  t0 = w.now;
  const healed = w.runUntilTrue(() => stillUp.every((name) => w.allSee(name, ['alive'])), t0 + 300_000, 200);
  const partitionHealedMs = healed === undefined ? undefined : healed - t0;

  const upNow = new Set([...w.members.values()].filter((m) => m.up).map((m) => m.name));
  const steady = w.events.slice(eventsFrom, faultsEnd);
  const wrongly = steady.filter((e) => e.type === 'failed' && upNow.has(e.member.name));
  const wronglyDead = new Set(wrongly.map((e) => e.member.name));
  const who = (name: string): string => (name === slow ? `${name} (starved)` : name);
  // The accuser of a suspicion is the first member to report it (its own probe failed).
  const accuser = (name: string, incarnation: number): string | undefined => steady.find((e) => e.type === 'suspect' && e.member.name === name && e.member.incarnation === incarnation)?.observer;
  const falseDeathDetail = wrongly.map((e) => {
    const by = accuser(e.member.name, e.member.incarnation);
    return `${who(e.member.name)}@${e.member.incarnation} declared dead by ${who(e.observer)}${by === undefined ? '' : `, suspected first by ${who(by)}`}`;
  });
  return {
    seed: o.seed,
    joinConvergedMs,
    crashKnownMs,
    crashReach,
    crash,
    falseDeaths: wronglyDead.size,
    falseDeathDetail,
    slow: slowReport,
    slowWatchedMs,
    falseSuspicions: new Set(steady.filter((e) => e.type === 'suspect' && upNow.has(e.member.name)).map((e) => `${e.member.name}@${e.member.incarnation}`)).size,
    partitionHealedMs,
    leaveKnownMs,
    leaveSeenAsFailed: w.events.filter((e) => e.type === 'failed' && e.member.name === leaver).length,
    packetsPerMemberPerSecond: w.packetsSent / n / (w.now / 1000),
  };
}
