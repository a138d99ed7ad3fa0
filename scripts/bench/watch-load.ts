/**
 * The watch benchmark's workloads: W watchers spread over the three servers of a cluster, each
 * following one of T targets; then C changes at R per second, one target at a time; the delay
 * from each write's acknowledgement (the writer's moment) to each watcher's event is measured
 * in this one process, on one clock. Server memory per idle watcher is the live memory each
 * server gains once its watchers are created and idle (see liveBytes).
 */
import { performance } from 'node:perf_hooks';
import { Etcd3, type Watcher } from 'etcd3';
import { OperatorClient } from '../../src/client/operator-client.js';
import { Endpoints } from '../../src/client/endpoints.js';
import { WatchMux } from '../../src/client/watch-mux.js';
import { registryProto } from '../../src/proto/registry-proto.js';
import type { Cluster } from './clusters.js';
import type { ProgressBar } from '../../src/terminal/progress-bar.js';

export interface WatchArgs {
  readonly watchers: number;
  readonly targets: number;
  readonly changes: number;
  readonly rate: number;
}

export interface WatchResult {
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly delivered: number;
  readonly expected: number;
  /** Server live memory gained per idle watcher, in bytes (median over servers). */
  readonly bytesPerWatcher: number;
  readonly liveBeforeMiB: number[];
  readonly liveAfterMiB: number[];
  readonly createSeconds: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

/**
 * Live memory of each server in bytes, the median of several samples. Roster: the V8 heap in use
 * plus memory held outside it (buffers), after a collection (Operator.Stats with collect_garbage).
 * etcd: Go's heap in use (go_memstats_heap_inuse_bytes on /metrics); Go collects on its own, so
 * this includes some garbage.
 */
async function liveBytes(c: Cluster): Promise<number[]> {
  const samples: number[][] = [];
  for (let i = 0; i < 5; i++) {
    samples.push(
      await Promise.all(
        c.servers.map(async (s) => {
          if (c.system === 'roster') {
            const op = new OperatorClient(s.client);
            try {
              const st = await op.stats(true);
              if (!st.garbageCollected) throw new Error(`${s.name} did not collect garbage: start it with node --expose-gc`);
              return st.heapUsedBytes + st.externalBytes;
            } finally {
              op.close();
            }
          }
          const text = await (await fetch(`http://${s.client}/metrics`)).text();
          const m = /^go_memstats_heap_inuse_bytes (\S+)$/m.exec(text);
          if (m === null) throw new Error(`${s.name}: no go_memstats_heap_inuse_bytes on /metrics`);
          return Number(m[1]);
        }),
      ),
    );
    await sleep(300);
  }
  return c.servers.map((_, j) => {
    const xs = samples.map((s) => s[j]!).sort((a, b) => a - b);
    return xs[Math.floor(xs.length / 2)]!;
  });
}

/** Collects arrival times per revision, then delays against the writes' acknowledgements. */
export class Delays {
  readonly acks = new Map<number, number>();
  readonly arrivals: { rev: number; at: number }[] = [];
  arrived(rev: number): void {
    this.arrivals.push({ rev, at: performance.now() });
  }
  result(): { sorted: number[]; delivered: number } {
    const out: number[] = [];
    for (const a of this.arrivals) {
      const ack = this.acks.get(a.rev);
      if (ack !== undefined) out.push(Math.max(0, a.at - ack));
    }
    return { sorted: out.sort((x, y) => x - y), delivered: out.length };
  }
}

/** Writes `changes` at `rate`, target i % targets, recording each acknowledgement by revision. */
async function writeChanges(a: WatchArgs, delays: Delays, write: (target: number, seq: number) => Promise<number>, progress: ProgressBar): Promise<void> {
  const start = performance.now();
  const pending: Promise<void>[] = [];
  for (let i = 0; i < a.changes; i++) {
    const at = start + (i * 1000) / a.rate;
    const wait = at - performance.now();
    if (wait > 0) await sleep(wait);
    pending.push(
      write(i % a.targets, i).then((rev) => {
        delays.acks.set(rev, performance.now());
      }),
    );
    progress.update(0.5 + (0.4 * (i + 1)) / a.changes);
  }
  await Promise.all(pending);
}

async function settle(delays: Delays, expected: number, progress: ProgressBar): Promise<void> {
  const until = performance.now() + 15_000;
  while (performance.now() < until && delays.arrivals.length < expected) await sleep(50);
  progress.update(1);
}

function summarize(delays: Delays, expected: number, before: number[], after: number[], perServer: number[], createSeconds: number): WatchResult {
  const { sorted, delivered } = delays.result();
  const bytes = before.map((b, i) => (after[i]! - b) / Math.max(1, perServer[i]!)).sort((x, y) => x - y);
  return {
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    maxMs: sorted[sorted.length - 1] ?? NaN,
    delivered,
    expected,
    bytesPerWatcher: bytes[Math.floor(bytes.length / 2)]!,
    liveBeforeMiB: before.map((b) => Math.round(b / 2 ** 20)),
    liveAfterMiB: after.map((b) => Math.round(b / 2 ** 20)),
    createSeconds,
  };
}

/** etcd's Watch through the etcd3 client: KV keys, one client (one stream) per server. */
export async function etcdClientWatch(c: Cluster, a: WatchArgs, progress: ProgressBar): Promise<WatchResult> {
  const clients = c.servers.map((s) => new Etcd3({ hosts: [s.client] }));
  const writer = new Etcd3({ hosts: c.servers.map((s) => s.client) });
  const watchers: Watcher[] = [];
  const delays = new Delays();
  try {
    for (let t = 0; t < a.targets; t++) await writer.put(`bench/w/${t}`).value('0');
    // Warm up each server's watch path, so the baseline includes what any first watcher allocates.
    for (const cl of clients) await (await cl.watch().key('bench/warm').create()).cancel();
    const before = await liveBytes(c);
    const started = performance.now();
    const perServer = c.servers.map(() => 0);
    for (let i = 0; i < a.watchers; i++) {
      const server = i % clients.length;
      perServer[server]!++;
      const w = await clients[server]!.watch().key(`bench/w/${i % a.targets}`).create();
      w.on('put', (kv) => delays.arrived(Number(kv.mod_revision)));
      watchers.push(w);
      if (i % 100 === 0) progress.update((0.5 * i) / a.watchers);
    }
    const createSeconds = (performance.now() - started) / 1000;
    // Idle a while: what the creation left behind is collected, what stays is the watchers'.
    await sleep(5000);
    const after = await liveBytes(c);
    await writeChanges(a, delays, async (t, seq) => Number((await writer.put(`bench/w/${t}`).value(String(seq))).header.revision), progress);
    const expected = a.changes * Math.round(a.watchers / a.targets);
    await settle(delays, expected, progress);
    return summarize(delays, expected, before, after, perServer, createSeconds);
  } finally {
    // Cancel first: the etcd3 client re-opens (on a timer) watch streams that a close() breaks.
    await Promise.all(watchers.map((w) => w.cancel().catch(() => undefined)));
    writer.close();
    for (const cl of clients) cl.close();
  }
}

/**
 * `count` registry watches of services' instances (watcher i follows service(i)), spread over
 * the muxes (one stream per server), every event's revision told to `delays`; resolves once
 * every watch has had its snapshot.
 */
export async function watchServices(muxes: readonly WatchMux[], count: number, service: (i: number) => string, delays: Delays, progress: (fraction: number) => void): Promise<void> {
  let snapshots = 0;
  for (let i = 0; i < count; i++) {
    muxes[i % muxes.length]!.watch(
      { service: { service: service(i) } },
      {
        snapshot: () => snapshots++,
        changes: (_rev, changes) => {
          for (const ch of changes) delays.arrived(Number(ch.revision));
        },
        progress: () => undefined,
        disconnected: () => undefined,
        failed: (why) => {
          throw new Error(`watch refused: ${why}`);
        },
      },
    );
    if (i % 500 === 0) await sleep(0);
  }
  while (snapshots < count) {
    progress(snapshots / count);
    await sleep(50);
  }
}

/** Roster's registry watch (the SDK's watch stream): a service's instances, one stream per server. */
export async function rosterNativeWatch(c: Cluster, a: WatchArgs, progress: ProgressBar): Promise<WatchResult> {
  const endpoints = c.servers.map((s) => new Endpoints([s.client]));
  const muxes = endpoints.map((e) => new WatchMux(e));
  const writer = new Endpoints(c.servers.map((s) => s.client));
  const Catalog = registryProto().roster.registry.v1.Catalog;
  const register = async (t: number, seq: number): Promise<number> => {
    const res = await writer.unary(Catalog, 'Register', { node: { name: `bench-node-${t}`, address: '10.9.0.1' }, service: { name: `bench-svc-${t}`, id: `inst-${t}`, port: 80, meta: { seq: String(seq) } } }, 5000);
    return Number(res.revision);
  };
  const delays = new Delays();
  try {
    for (let t = 0; t < a.targets; t++) await register(t, -1);
    const before = await liveBytes(c);
    const started = performance.now();
    const perServer = c.servers.map(() => 0);
    for (let i = 0; i < a.watchers; i++) perServer[i % muxes.length]!++;
    await watchServices(muxes, a.watchers, (i) => `bench-svc-${i % a.targets}`, delays, (f) => progress.update(0.5 * f));
    const createSeconds = (performance.now() - started) / 1000;
    // Idle a while: what the creation left behind is collected, what stays is the watchers'.
    await sleep(5000);
    const after = await liveBytes(c);
    await writeChanges(a, delays, register, progress);
    const expected = a.changes * Math.round(a.watchers / a.targets);
    await settle(delays, expected, progress);
    return summarize(delays, expected, before, after, perServer, createSeconds);
  } finally {
    for (const m of muxes) m.close();
    for (const e of endpoints) e.close();
    writer.close();
  }
}
