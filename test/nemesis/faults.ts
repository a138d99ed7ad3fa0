import type { ServerProc, TestCluster } from '../integration/cluster-harness.js';
import type { Rng } from '../../src/util/rng.js';
import type { Partitioner } from './partition.js';

/**
 * kill: SIGKILL a server, then restart it on its data dir; pause: SIGSTOP then SIGCONT;
 * isolate: cut one server (the leader half the time) from the others; split: cut a minority
 * from a majority (5 servers or more).
 */
export type FaultKind = 'kill' | 'pause' | 'isolate' | 'split';
export const FAULT_KINDS: readonly FaultKind[] = ['kill', 'pause', 'isolate', 'split'];

export interface FaultRecord {
  readonly kind: FaultKind;
  /** Who was hit (for partitions, the groups). */
  readonly target: string;
  readonly startMs: number;
  endMs: number;
}

export interface NemesisOptions {
  readonly kinds: readonly FaultKind[];
  /** performance.now() after which no fault starts (one in progress still heals). */
  readonly untilMs: number;
  /** How long a fault lasts and the calm between two, in milliseconds [min, max]. */
  readonly faultMs: readonly [number, number];
  readonly calmMs: readonly [number, number];
  /** Start with this fault (the negative control starts with a partition at once). */
  readonly first?: FaultKind;
  readonly log: (line: string) => void;
}

/** Injects one fault after another until `untilMs`; every fault is healed before the next. */
export async function runNemesis(cluster: TestCluster, partitioner: Partitioner | undefined, rng: Rng, opts: NemesisOptions, record: FaultRecord[]): Promise<void> {
  const kinds = opts.kinds.filter((k) => (k === 'split' ? cluster.servers.length >= 5 : true)).filter((k) => partitioner !== undefined || (k !== 'isolate' && k !== 'split'));
  if (kinds.length === 0) throw new Error('nemesis: no fault kind can run here');
  let next = opts.first !== undefined && kinds.includes(opts.first) ? opts.first : undefined;
  if (next === undefined) await sleepUntil(opts.untilMs, rng.between(...opts.calmMs));
  while (performance.now() < opts.untilMs) {
    const kind = next ?? rng.pick(kinds);
    next = undefined;
    const lasts = rng.between(...opts.faultMs);
    const f = await inject(cluster, partitioner, rng, kind, lasts, opts.log);
    record.push(f);
    await sleepUntil(Infinity, lasts);
    await heal(cluster, partitioner, kind, f, opts.log);
    f.endMs = performance.now();
    await sleepUntil(opts.untilMs, rng.between(...opts.calmMs));
  }
}

interface Injected extends FaultRecord {
  readonly victims: readonly ServerProc[];
}

async function inject(cluster: TestCluster, partitioner: Partitioner | undefined, rng: Rng, kind: FaultKind, lastsMs: number, log: (line: string) => void): Promise<Injected> {
  const startMs = performance.now();
  const all = cluster.servers;
  if (kind === 'kill' || kind === 'pause') {
    const victim = rng.pick(all);
    if (kind === 'kill') cluster.kill9(victim);
    else cluster.pause(victim);
    log(`nemesis: ${kind} ${victim.name} for ${lastsMs} ms`);
    return { kind, target: victim.name, startMs, endMs: startMs, victims: [victim] };
  }
  let minority: ServerProc[];
  if (kind === 'isolate') {
    const leader = rng.chance(0.5) ? await currentLeader(cluster) : undefined;
    minority = [leader ?? rng.pick(all)];
  } else {
    minority = rng.shuffle([...all]).slice(0, Math.floor((all.length - 1) / 2));
  }
  const majority = all.filter((s) => !minority.includes(s));
  partitioner!.partition([minority, majority]);
  log(`nemesis: ${kind} ${partitioner!.describe()} for ${lastsMs} ms`);
  return { kind, target: partitioner!.describe(), startMs, endMs: startMs, victims: minority };
}

async function heal(cluster: TestCluster, partitioner: Partitioner | undefined, kind: FaultKind, f: Injected, log: (line: string) => void): Promise<void> {
  if (kind === 'kill') {
    for (const s of f.victims) await cluster.launch(s, 'existing');
  } else if (kind === 'pause') {
    for (const s of f.victims) cluster.resume(s);
  } else {
    partitioner!.heal();
  }
  log(`nemesis: healed ${kind} ${f.target}`);
}

/** The leader, if the servers agree on one quickly (a fault may be in the way: then undefined). */
async function currentLeader(cluster: TestCluster): Promise<ServerProc | undefined> {
  try {
    return await cluster.waitForLeader(1500);
  } catch {
    return undefined;
  }
}

function sleepUntil(untilMs: number, forMs: number): Promise<void> {
  const ms = Math.max(0, Math.min(forMs, untilMs - performance.now()));
  return new Promise((r) => setTimeout(r, ms));
}
