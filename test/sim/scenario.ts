import type { Rng } from '../../src/util/rng.js';

/**
 * Everything about one simulated run, derived from its seed: cluster shape, fault rates,
 * workload and phase lengths. All times are simulated milliseconds.
 */
export interface Scenario {
  readonly seed: number;
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

export function scenarioFromSeed(seed: number, rng: Rng, overrides: Partial<Scenario> = {}): Scenario {
  const clusterSize = rng.chance(0.5) ? 3 : 5;
  const calm = rng.chance(0.15); // some runs without faults check the happy path at speed
  const maxDelayMs = rng.pick([5, 10, 20, 40]);
  const base: Scenario = {
    seed,
    clusterSize,
    spareNodes: 2,
    tickMs: 10,
    electionTick: 10,
    heartbeatTick: 1,
    // Mostly the production settings; sometimes without Pre-Vote or CheckQuorum, which must
    // stay safe (only liveness suffers).
    preVote: rng.chance(0.85),
    checkQuorum: rng.chance(0.85),
    maxSizePerMsg: rng.pick([64, 1024, 1024 * 1024]),
    maxInflightMsgs: rng.pick([1, 4, 256]),

    lossRate: calm ? 0 : rng.pick([0, 0.01, 0.05, 0.15]),
    duplicateRate: calm ? 0 : rng.pick([0, 0.01, 0.05]),
    minDelayMs: 1,
    maxDelayMs,
    spikeRate: calm ? 0 : rng.pick([0, 0.01, 0.05]),
    diskMinMs: 1,
    diskMaxMs: rng.pick([2, 5, 15]),

    crashEveryMs: calm ? 0 : rng.pick([0, 300, 800, 2000]),
    partitionEveryMs: calm ? 0 : rng.pick([0, 300, 800, 2000]),
    membershipEveryMs: calm ? 0 : rng.pick([0, 500, 1500]),
    transferEveryMs: calm ? 0 : rng.pick([0, 500, 1500]),
    powerLossRate: rng.pick([0, 0.5]),

    snapshotEvery: rng.pick([10, 50, 200]),
    snapshotKeepTail: rng.pick([0, 5, 50]),

    writeEveryMs: rng.pick([2, 10, 30]),
    readEveryMs: rng.pick([5, 20, 50]),
    requestTimeoutMs: 1000,
    maxOutstandingWrites: rng.pick([1, 8, 32]),

    faultPhaseMs: rng.between(2000, 5000),
    leaderBoundTicks: 80,
    commitBoundTicks: 150,
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
    `partition/${s.partitionEveryMs}ms`,
    `member/${s.membershipEveryMs}ms`,
    `transfer/${s.transferEveryMs}ms`,
    `powerloss=${s.powerLossRate}`,
  ];
  return (
    `seed=${s.seed} nodes=${s.clusterSize}+${s.spareNodes} preVote=${s.preVote} checkQuorum=${s.checkQuorum} ` +
    `msg=${s.maxSizePerMsg}B inflight=${s.maxInflightMsgs} snapshot/${s.snapshotEvery} keep=${s.snapshotKeepTail} ` +
    `faultPhase=${s.faultPhaseMs}ms | ${faults.join(' ')}`
  );
}
