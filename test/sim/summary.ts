import type { SimStats } from './simulation.js';

export interface SeedOutcome {
  readonly seed: number;
  readonly ok: boolean;
  readonly property: string | undefined;
  readonly message: string | undefined;
  readonly stats: SimStats;
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = values.slice().sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** The table printed after a sweep: outcome, what was exercised, and the liveness figures. */
export function summarize(outcomes: readonly SeedOutcome[], wallSeconds: number, jobs: number, driver = 'model'): string {
  const failed = outcomes.filter((o) => !o.ok);
  const sum = (f: (s: SimStats) => number): number => outcomes.reduce((acc, o) => acc + f(o.stats), 0);
  const passed = outcomes.filter((o) => o.ok);
  const toLeader = passed.map((o) => o.stats.ticksToLeader);
  const toConverge = passed.map((o) => o.stats.ticksToConverge);
  const byProperty = new Map<string, number[]>();
  for (const f of failed) {
    const key = f.property ?? 'unknown';
    byProperty.set(key, [...(byProperty.get(key) ?? []), f.seed]);
  }
  const lines = [
    '',
    `simulator (${driver} driver): ${outcomes.length} seeds, ${passed.length} passed, ${failed.length} failed in ${wallSeconds.toFixed(1)}s wall (${jobs} processes)`,
    `  exercised: ${sum((s) => s.leadersElected)} leaders elected, ${sum((s) => s.crashes)} crashes, ${sum((s) => s.partitions)} partitions, ` +
      `${sum((s) => s.membershipChanges)} membership changes, ${sum((s) => s.transfers)} transfers, ${sum((s) => s.snapshotsSent)} snapshots sent, ` +
      `${sum((s) => s.powerLosses)} of the crashes power losses`,
    ...(driver === 'production' ? [`  disk: ${sum((s) => s.diskFaultsSeen)} failed raft log writes retried by the driver, ${sum((s) => s.stateWriteExits)} failed state writes (the server exits and restarts), ${sum((s) => s.diskFullEpisodes)} disk-full episodes`] : []),
    `  workload: ${sum((s) => s.writesAcked)} writes acknowledged, ${sum((s) => s.readsServed)} linearizable reads checked, ` +
      `${sum((s) => s.messagesDelivered)} messages delivered`,
    `  liveness after healing (ticks): leader p50=${percentile(toLeader, 50)} p99=${percentile(toLeader, 99)} max=${Math.max(0, ...toLeader)}; ` +
      `convergence p50=${percentile(toConverge, 50)} p99=${percentile(toConverge, 99)} max=${Math.max(0, ...toConverge)}`,
  ];
  for (const [property, seeds] of byProperty) {
    lines.push(`  FAILED ${property}: ${seeds.length} seeds, first ${seeds.slice(0, 10).join(', ')}`);
  }
  return lines.join('\n');
}
