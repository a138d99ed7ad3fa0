import type { RaftConfig } from '../../src/raft/config.js';
import type { Rng } from '../../src/util/rng.js';

/**
 * Everything about one simulated run, derived from its seed: cluster shape, fault rates,
 * workload and phase lengths. All times are simulated milliseconds.
 */
export interface Scenario {
  readonly seed: number;
  readonly profile: Profile;
  readonly clusterSize: 3 | 5;
  /** Extra node ids available for membership changes. */
  readonly spareNodes: number;
  readonly tickMs: number;
  readonly electionTick: number;
  readonly heartbeatTick: number;
  readonly preVote: boolean;
  readonly checkQuorum: boolean;
  readonly maxSizePerMsg: number;
  readonly maxInflightMsgs: number;

  readonly lossRate: number;
  readonly duplicateRate: number;
  readonly minDelayMs: number;
  readonly maxDelayMs: number;
  /** Chance that a message takes 10x longer (reordering it far behind later ones). */
  readonly spikeRate: number;
  readonly diskMinMs: number;
  readonly diskMaxMs: number;

  /** Mean time between faults of each kind (0: never). */
  readonly crashEveryMs: number;
  readonly partitionEveryMs: number;
  readonly membershipEveryMs: number;
  readonly transferEveryMs: number;
  /** A new leader proposes a membership change as soon as it is elected (an autopilot). */
  readonly changeOnElection: boolean;
  /** Chance that a leader crashes moments after proposing a membership change. */
  readonly crashAfterConfChangeRate: number;
  /** Chance that a newly elected leader crashes moments later, mid-replication (Figure 8). */
  readonly crashNewLeaderRate: number;
  /** Chance that a crash also loses writes that were not fsynced (power loss, not kill -9). */
  readonly powerLossRate: number;

  readonly snapshotEvery: number;
  readonly snapshotKeepTail: number;

  readonly writeEveryMs: number;
  readonly readEveryMs: number;
  readonly requestTimeoutMs: number;
  readonly maxOutstandingWrites: number;

  readonly faultPhaseMs: number;
  /** Liveness bounds, in ticks after healing: a stable leader, then every write committed. */
  readonly leaderBoundTicks: number;
  readonly commitBoundTicks: number;
}

/**
 * The kind of run a seed gets. 'mixed' draws every fault independently. 'calm' has no faults
 * and checks the happy path at speed. 'churn' is the schedule that exposes commit-rule bugs
 * (Figure 8 of the Raft paper): on a fast network, newly elected leaders keep crashing within a
 * few round trips, while one-entry messages split a new leader's no-op from the older entries
 * it re-replicates, so an old-term entry can reach a majority before any entry of the new term.
 * 'membership' changes membership constantly, as an autopilot on each new leader would (acting
 * right after its election), while leaders crash right after proposing a change: the schedules
 * behind the known single-server-change bugs.
 */
export type Profile = 'mixed' | 'calm' | 'churn' | 'membership';

export function scenarioFromSeed(seed: number, rng: Rng, overrides: Partial<Scenario> = {}): Scenario {
  const roll = rng.next();
  const profile: Profile = roll < 0.15 ? 'calm' : roll < 0.35 ? 'churn' : roll < 0.5 ? 'membership' : 'mixed';
  const calm = profile === 'calm';
  const churn = profile === 'churn';
  const members = profile === 'membership';
  const clusterSize = rng.chance(0.5) ? 5 : 3;
  const maxDelayMs = churn ? rng.pick([2, 5]) : rng.pick([5, 10, 20, 40]);
  // Tiny messages (one entry each) split a new leader's no-op from the entries before it, the
  // window Figure 8 needs. Paired with a one-message window they would leave ~40 entries/s of
  // throughput, too little to drain a backlog within the liveness bound, so they get a pipeline.
  const maxSizePerMsg = churn ? 1 : rng.pick([1, 64, 1024, 1024 * 1024]);
  const maxInflightMsgs = maxSizePerMsg < 1024 ? rng.pick([4, 256]) : rng.pick([1, 4, 256]);
  const base: Scenario = {
    seed,
    profile,
    clusterSize,
    spareNodes: members ? 4 : 2,
    tickMs: 10,
    electionTick: 10,
    heartbeatTick: 1,
    // Mostly the production settings; sometimes without Pre-Vote or CheckQuorum, which must
    // stay safe (only liveness suffers).
    preVote: rng.chance(0.85),
    checkQuorum: rng.chance(0.85),
    maxSizePerMsg,
    maxInflightMsgs,

    lossRate: calm ? 0 : rng.pick([0, 0.01, 0.05, 0.15]),
    duplicateRate: calm ? 0 : rng.pick([0, 0.01, 0.05]),
    minDelayMs: 1,
    maxDelayMs,
    spikeRate: calm ? 0 : rng.pick([0, 0.01, 0.05]),
    diskMinMs: 1,
    diskMaxMs: churn ? 2 : rng.pick([2, 5, 15]),

    crashEveryMs: calm ? 0 : rng.pick([0, 300, 800, 2000]),
    partitionEveryMs: calm ? 0 : rng.pick([0, 300, 800, 2000]),
    membershipEveryMs: calm || churn ? 0 : members ? rng.pick([100, 300]) : rng.pick([0, 500, 1500]),
    changeOnElection: members,
    crashAfterConfChangeRate: members ? rng.pick([0.2, 0.5]) : 0,
    transferEveryMs: calm ? 0 : rng.pick([0, 500, 1500]),
    crashNewLeaderRate: calm ? 0 : churn ? 0.9 : rng.pick([0, 0.3, 0.6]),
    powerLossRate: rng.pick([0, 0.5]),

    snapshotEvery: rng.pick([10, 50, 200]),
    snapshotKeepTail: rng.pick([0, 5, 50]),

    // Churn keeps every leader busy, so each one that crashes leaves an unreplicated tail.
    writeEveryMs: churn ? 2 : rng.pick([2, 10, 30]),
    readEveryMs: rng.pick([5, 20, 50]),
    requestTimeoutMs: 1000,
    maxOutstandingWrites: churn ? 32 : rng.pick([1, 8, 32]),

    faultPhaseMs: rng.between(2000, 5000),
    leaderBoundTicks: 80,
    // One entry per message caps throughput near 150 entries/s: a new learner needs seconds to
    // receive the whole log, so those runs get a proportionally longer bound.
    commitBoundTicks: maxSizePerMsg < 1024 ? 400 : 150,
  };
  return { ...base, ...overrides };
}

export function describeScenario(s: Scenario): string {
  const faults = [
    `loss=${s.lossRate}`,
    `dup=${s.duplicateRate}`,
    `delay=${s.minDelayMs}-${s.maxDelayMs}ms`,
    `spikes=${s.spikeRate}`,
    `disk=${s.diskMinMs}-${s.diskMaxMs}ms`,
    `crash/${s.crashEveryMs}ms`,
    `crashNewLeader=${s.crashNewLeaderRate}`,
    `partition/${s.partitionEveryMs}ms`,
    `member/${s.membershipEveryMs}ms${s.changeOnElection ? '+onElection' : ''}${s.crashAfterConfChangeRate > 0 ? `+crash${s.crashAfterConfChangeRate}` : ''}`,
    `transfer/${s.transferEveryMs}ms`,
    `powerloss=${s.powerLossRate}`,
  ];
  return (
    `seed=${s.seed} ${s.profile} nodes=${s.clusterSize}+${s.spareNodes} preVote=${s.preVote} checkQuorum=${s.checkQuorum} ` +
    `msg=${s.maxSizePerMsg}B inflight=${s.maxInflightMsgs} snapshot/${s.snapshotEvery} keep=${s.snapshotKeepTail} ` +
    `faultPhase=${s.faultPhaseMs}ms | ${faults.join(' ')}`
  );
}

/** The Raft core's settings a scenario fixes (every simulated node, either driver, uses them). */
export function coreSettings(s: Scenario): Pick<RaftConfig, 'electionTick' | 'heartbeatTick' | 'preVote' | 'checkQuorum' | 'maxSizePerMsg' | 'maxInflightMsgs'> {
  return { electionTick: s.electionTick, heartbeatTick: s.heartbeatTick, preVote: s.preVote, checkQuorum: s.checkQuorum, maxSizePerMsg: s.maxSizePerMsg, maxInflightMsgs: s.maxInflightMsgs };
}
