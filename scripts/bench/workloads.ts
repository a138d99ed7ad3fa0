/**
 * The benchmark's workloads, all through the etcd3 client so every system sees the same calls.
 * Every loop is bounded in time, and every phase reports throughput, latency percentiles and
 * errors.
 */
import { noop } from 'cockatiel';
import type { Etcd3 } from 'etcd3';
import type { Cluster } from './clusters.js';
import type { ProgressBar } from '../../src/terminal/progress-bar.js';

export interface PhaseResult {
  readonly ops: number;
  readonly errors: number;
  readonly seconds: number;
  readonly opsPerSec: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

export function clientFor(c: Cluster, hosts = c.servers.filter((s) => s.proc !== undefined).map((s) => s.client)): Etcd3 {
  return c.client(hosts, { dialTimeout: 2000, defaultCallOptions: () => ({ deadline: Date.now() + 5000 }) });
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

const KEYS = 100_000;
const key = (i: number): string => `bench/${String(i).padStart(6, '0')}`;

/** Runs `op` with `inflight` concurrent loops for `seconds`. */
async function run(seconds: number, inflight: number, progress: ProgressBar, op: (i: number) => Promise<unknown>): Promise<PhaseResult> {
  const lat = new Float64Array(4_000_000);
  let n = 0;
  let errors = 0;
  const started = performance.now();
  const end = started + seconds * 1000;
  let seq = 0;
  const loop = async (): Promise<void> => {
    while (performance.now() < end) {
      const t0 = performance.now();
      try {
        await op(seq++);
        if (n < lat.length) lat[n++] = performance.now() - t0;
      } catch {
        errors++;
      }
      progress.update((performance.now() - started) / (seconds * 1000));
    }
  };
  await Promise.all(Array.from({ length: inflight }, loop));
  const elapsed = (performance.now() - started) / 1000;
  const sorted = lat.subarray(0, n).sort();
  return { ops: n, errors, seconds: elapsed, opsPerSec: n / elapsed, p50Ms: percentile(sorted, 0.5), p99Ms: percentile(sorted, 0.99) };
}

export function putPhase(client: Etcd3, inflight: number, seconds: number, progress: ProgressBar): Promise<PhaseResult> {
  const value = Buffer.alloc(256, 0x61);
  return run(seconds, inflight, progress, () => client.put(key(Math.floor(Math.random() * KEYS))).value(value).exec());
}

export function getPhase(client: Etcd3, inflight: number, seconds: number, serializable: boolean, progress: ProgressBar): Promise<PhaseResult> {
  return run(seconds, inflight, progress, () => client.get(key(Math.floor(Math.random() * KEYS))).serializable(serializable).exec());
}

/** Writes every one of the 100k keys once (so the RSS figure is for 100k keys). */
export async function preload(client: Etcd3, progress: ProgressBar): Promise<void> {
  const value = Buffer.alloc(256, 0x62);
  let next = 0;
  const loop = async (): Promise<void> => {
    while (next < KEYS) {
      const i = next++;
      for (let attempt = 0; ; attempt++) {
        try {
          await client.put(key(i)).value(value).exec();
          break;
        } catch (err) {
          if (attempt >= 5) throw err;
        }
      }
      progress.update(next / KEYS);
    }
  };
  await Promise.all(Array.from({ length: 128 }, loop));
}

/**
 * kill -9 of the leader, then the time until a put succeeds again (each attempt a fresh call
 * to one of the survivors, 250 ms deadline, no client-side backoff). The killed server is
 * restarted before the next trial.
 */
export async function failover(c: Cluster, trials: number, progress: ProgressBar): Promise<number[]> {
  const times: number[] = [];
  for (let t = 0; t < trials; t++) {
    const leader = await c.leader();
    const survivors = c.servers.filter((s) => s !== leader).map((s) => s.client);
    const clients = survivors.map((h) => c.client([h], { dialTimeout: 250, faultHandling: { global: noop, host: () => noop } }));
    // Warm the connections so the measurement is the cluster's, not the client's dialing.
    await Promise.allSettled(clients.map((cl) => cl.get('bench/warm').serializable(true).exec()));
    c.kill9(leader);
    const t0 = performance.now();
    let done = false;
    for (let attempt = 0; !done && performance.now() - t0 < 30_000; attempt++) {
      const cl = clients[attempt % clients.length]!;
      try {
        await cl.put('bench/failover').value(String(attempt)).options({ deadline: Date.now() + 250 }).exec();
        done = true;
      } catch {
        await new Promise((r) => setTimeout(r, 5));
      }
    }
    times.push(done ? performance.now() - t0 : Number.POSITIVE_INFINITY);
    for (const cl of clients) cl.close();
    await c.start(leader);
    await c.leader();
    progress.update((t + 1) / trials);
  }
  return times;
}

/** Steady load for `seconds`, polling who leads: a healthy cluster never changes leader. */
export async function soak(c: Cluster, client: Etcd3, seconds: number, progress: ProgressBar): Promise<{ leaderChanges: number; result: PhaseResult }> {
  let leaderChanges = 0;
  let current = (await c.leader()).name;
  let stop = false;
  const watcher = (async () => {
    while (!stop) {
      await new Promise((r) => setTimeout(r, 1000));
      const l = (await c.leader()).name;
      if (l !== current) {
        leaderChanges++;
        current = l;
      }
    }
  })();
  const result = await putPhase(client, 64, seconds, progress);
  stop = true;
  await watcher;
  return { leaderChanges, result };
}
