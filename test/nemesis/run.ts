import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestCluster } from '../integration/cluster-harness.js';
import { seededRng } from '../../src/util/rng.js';
import { FAULT_KINDS, runNemesis, type FaultKind, type FaultRecord } from './faults.js';
import type { Op } from './history.js';
import { checkLinearizable, formatFailure, type CheckResult } from './linearizability.js';
import { Partitioner } from './partition.js';
import { formatSummary } from './summary.js';
import { get, runClients, type ReadMode } from './workload.js';

export interface RunOptions {
  readonly servers: number;
  readonly seconds: number;
  readonly reads: ReadMode;
  readonly clients?: number;
  readonly keys?: number;
  readonly seed?: number;
  /** Fault kinds to draw from (default: all that can run here). */
  readonly faults?: readonly FaultKind[];
  /** Loopback hosts 127.0.0.<hostBase+1>...; user ids uidBase+1... for the members. */
  readonly hostBase: number;
  readonly uidBase?: number;
  /** Where a non-linearizable history is written (default: the temp dir). */
  readonly outDir?: string;
  /** Milliseconds the checker may search (default 120 s). */
  readonly checkBudgetMs?: number;
  readonly log?: (line: string) => void;
  /** Called with a synchronous emergency cleanup (for SIGINT): heal, then end the servers by PID. */
  readonly onCleanup?: (cleanup: () => void) => void;
}

export interface RunResult {
  readonly history: readonly Op[];
  readonly faults: readonly FaultRecord[];
  readonly check: CheckResult;
  readonly checkMs: number;
  readonly seed: number;
  /** Set when partitions could not run here (and why). */
  readonly partitionsUnavailable?: string;
  /** Set when the history was not linearizable: where it was written. */
  readonly historyFile?: string;
  readonly summary: string;
}

const OP_TIMEOUT_MS = 2_000;
const MAX_OPS = 200_000;

/**
 * Starts a cluster, runs concurrent clients while a nemesis kills, pauses and partitions
 * servers, heals everything, reads every key once more, and checks the history.
 */
export async function runNemesisTest(opts: RunOptions): Promise<RunResult> {
  const log = opts.log ?? ((line: string) => console.log(line));
  const seed = opts.seed ?? Math.floor(Math.random() * 2 ** 31);
  const rng = seededRng(seed);
  const canPartition = Partitioner.available();
  const partitionsUnavailable = canPartition.ok ? undefined : canPartition.why;
  if (partitionsUnavailable !== undefined) log(`nemesis: no partitions: ${partitionsUnavailable}; kill and pause only`);
  const wanted = opts.faults ?? FAULT_KINDS;
  const uidBase = canPartition.ok ? (opts.uidBase ?? 47_000) : undefined;
  const cluster = await TestCluster.start({ servers: opts.servers, hostBase: opts.hostBase, ...(uidBase !== undefined ? { uidBase } : {}) });
  const partitioner = canPartition.ok ? new Partitioner(cluster.servers) : undefined;
  opts.onCleanup?.(() => {
    partitioner?.cleanup();
    for (const s of cluster.servers) {
      s.proc?.kill('SIGCONT');
      s.proc?.kill('SIGKILL');
    }
  });
  const history: Op[] = [];
  const faults: FaultRecord[] = [];
  try {
    const keys = Array.from({ length: opts.keys ?? 8 }, (_, i) => `nemesis/k${i}`);
    const untilMs = performance.now() + opts.seconds * 1000;
    log(`nemesis: ${opts.servers} servers up, seed ${seed}; ${opts.seconds} s of ${opts.clients ?? 8} clients on ${keys.length} keys with ${opts.reads} reads`);
    const stop = { stopped: false };
    await Promise.all([
      runClients(cluster, rng.fork(), { clients: opts.clients ?? 8, keys, reads: opts.reads, opTimeoutMs: OP_TIMEOUT_MS, untilMs, maxOps: MAX_OPS, stop }, history),
      runNemesis(
        cluster,
        partitioner,
        rng.fork(),
        { kinds: wanted, untilMs: untilMs - 2_000, faultMs: [1_000, 4_000], calmMs: [1_000, 3_000], ...(opts.reads === 'serializable' ? { first: 'isolate' as const } : {}), log },
        faults,
      ).catch((err: unknown) => {
        stop.stopped = true;
        throw err;
      }),
    ]);
    partitioner?.heal();
    await finalReads(cluster, keys, opts.clients ?? 8, history);
  } finally {
    partitioner?.cleanup();
    await cluster.destroy();
  }
  const started = performance.now();
  const check = checkLinearizable(history, { budgetMs: opts.checkBudgetMs ?? 120_000 });
  const checkMs = performance.now() - started;
  let historyFile: string | undefined;
  if (check.verdict === 'not-linearizable') {
    const dir = opts.outDir ?? tmpdir();
    mkdirSync(dir, { recursive: true }); // --out may name a directory that does not exist yet
    historyFile = join(dir, `roster-nemesis-${seed}.json`);
    writeFileSync(historyFile, JSON.stringify({ seed, servers: opts.servers, reads: opts.reads, faults, history }, null, 1));
  }
  const summary = formatSummary({ servers: opts.servers, seconds: opts.seconds, reads: opts.reads, seed, history, faults, check, checkMs, partitionsUnavailable, historyFile });
  for (const f of check.failures.slice(0, 3)) log(formatFailure(f));
  return { history, faults, check, checkMs, seed, summary, ...(partitionsUnavailable !== undefined ? { partitionsUnavailable } : {}), ...(historyFile !== undefined ? { historyFile } : {}) };
}

/** After healing: once a leader is back, one linearizable read of every key (a lost write shows here). */
async function finalReads(cluster: TestCluster, keys: readonly string[], client: number, history: Op[]): Promise<void> {
  const leader = await cluster.waitForLeader(30_000);
  for (const key of keys) {
    for (let attempt = 0; attempt < 10; attempt++) {
      const op = await get(cluster, leader, client, key, 'linearizable', OP_TIMEOUT_MS);
      history.push(op);
      if (op.outcome === 'ok') break;
    }
  }
}
