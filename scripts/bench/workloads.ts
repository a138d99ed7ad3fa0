/**
 * The benchmark's workloads, all through the etcd3 client so every system sees the same calls.
 * Every loop is bounded in time. The measured puts and gets run in the load workers
 * (load-pool.ts); these are the rest: the preload, failover and the soak.
 */
import { noop } from 'cockatiel';
import type { Etcd3 } from 'etcd3';
import type { Cluster } from './clusters.js';
import type { ProgressBar } from '../../src/terminal/progress-bar.js';
import { benchKey as key, KEYS } from './keys.js';
import type { LoadPool, PhaseResult } from './load-pool.js';

export type { PhaseResult } from './load-pool.js';

export function clientFor(c: Cluster, hosts = c.servers.filter((s) => s.proc !== undefined).map((s) => s.client)): Etcd3 {
  return c.client(hosts, { dialTimeout: 2000, defaultCallOptions: () => ({ deadline: Date.now() + 5000 }) });
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
export async function soak(c: Cluster, pool: LoadPool, seconds: number, progress: ProgressBar): Promise<{ leaderChanges: number; result: PhaseResult }> {
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
  const result = await pool.phase('put', 64, seconds, progress);
  stop = true;
  await watcher;
  return { leaderChanges, result };
}
