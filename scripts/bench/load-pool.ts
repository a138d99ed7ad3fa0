/**
 * The benchmark's load generator: worker threads (load-worker.ts), each with its own etcd3
 * client, so the client side is not one JavaScript thread that both systems saturate first.
 * Every phase also measures where the machine's CPU went: this process (the client, all its
 * threads) and the servers (from /proc), so a figure bound by the client or by the machine's
 * cores says so.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Cluster } from './clusters.js';
import { ownCpuSeconds } from './cpu.js';
import type { PhaseOrder, PhaseReport, WorkerInit } from './load-worker.js';
import type { ProgressBar } from '../../src/terminal/progress-bar.js';

/** Where the CPU went during one phase, in cores (CPU seconds per second of the phase). */
export interface PhaseCpu {
  /** Load workers used in the phase. */
  readonly workers: number;
  /** The client process, every thread. */
  readonly clientCores: number;
  /** The three servers together. */
  readonly serverCores: number;
  /** The servers' CPU per successful call, ms: what one operation costs the cluster. */
  readonly serverMsPerOp: number;
  /** The client's threads were busy (>= 90% of a core each): the figure is the client's, not the servers'. */
  readonly clientBound: boolean;
  /** Client and servers together kept >= 90% of the machine's cores busy. */
  readonly machineBound: boolean;
}

export interface PhaseResult {
  readonly ops: number;
  readonly errors: number;
  readonly seconds: number;
  readonly opsPerSec: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly cpu?: PhaseCpu;
}

export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

interface Pending {
  resolve: (r: PhaseReport) => void;
  reject: (err: Error) => void;
}

class LoadWorker {
  private pending: Pending | undefined;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (m: PhaseReport | { failed: string } | { ready: true }) => {
      const p = this.pending;
      if (p === undefined || 'ready' in m) return;
      this.pending = undefined;
      if ('failed' in m) p.reject(new Error(`load worker: ${m.failed}`));
      else p.resolve(m);
    });
    worker.on('error', (err) => {
      this.pending?.reject(err);
      this.pending = undefined;
    });
  }

  static start(c: Cluster, hosts: readonly string[]): Promise<LoadWorker> {
    const init: WorkerInit = { module: new URL('./load-worker.ts', import.meta.url).href, spec: c.spec, hosts };
    const worker = new Worker(new URL('./worker-boot.mjs', import.meta.url), { workerData: init });
    return new Promise((resolve, reject) => {
      worker.once('message', () => resolve(new LoadWorker(worker)));
      worker.once('error', reject);
    });
  }

  run(order: PhaseOrder): Promise<PhaseReport> {
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.worker.postMessage({ phase: order });
    });
  }

  async close(): Promise<void> {
    this.worker.postMessage({ close: true });
    await this.worker.terminate();
  }
}

export class LoadPool {
  private constructor(
    private readonly c: Cluster,
    private readonly workers: LoadWorker[],
  ) {}

  /** `size` workers (default: one per core), each dialing every running server. */
  static async start(c: Cluster, size = availableParallelism()): Promise<LoadPool> {
    const hosts = c.servers.filter((s) => s.proc !== undefined).map((s) => s.client);
    const workers = await Promise.all(Array.from({ length: size }, () => LoadWorker.start(c, hosts)));
    return new LoadPool(c, workers);
  }

  /** `inflight` loops of puts or gets for `seconds`, spread over the workers. */
  async phase(kind: 'put' | 'get', inflight: number, seconds: number, progress: ProgressBar, serializable = false): Promise<PhaseResult> {
    const used = this.workers.slice(0, Math.min(inflight, this.workers.length));
    const started = performance.now();
    const endAt = performance.timeOrigin + started + seconds * 1000;
    const cpu0 = { client: ownCpuSeconds(), servers: sum(this.c.cpuSeconds()) };
    const ticker = setInterval(() => progress.update((performance.now() - started) / (seconds * 1000)), 250);
    let reports: PhaseReport[];
    try {
      reports = await Promise.all(used.map((w, i) => w.run({ kind, serializable, endAt, loops: Math.floor(inflight / used.length) + (i < inflight % used.length ? 1 : 0) })));
    } finally {
      clearInterval(ticker);
    }
    const elapsed = (performance.now() - started) / 1000;
    const client = ownCpuSeconds() - cpu0.client;
    const servers = sum(this.c.cpuSeconds()) - cpu0.servers;
    const ops = reports.reduce((n, r) => n + r.ops, 0);
    const all = new Float64Array(ops);
    let at = 0;
    for (const r of reports) {
      all.set(r.latencies, at);
      at += r.latencies.length;
    }
    const sorted = all.subarray(0, at).sort();
    const cores = availableParallelism();
    const cpu: PhaseCpu = {
      workers: used.length,
      clientCores: client / elapsed,
      serverCores: servers / elapsed,
      serverMsPerOp: ops > 0 ? (servers * 1000) / ops : 0,
      clientBound: client / elapsed >= 0.9 * used.length,
      machineBound: (client + servers) / elapsed >= 0.9 * cores,
    };
    return { ops, errors: reports.reduce((n, r) => n + r.errors, 0), seconds: elapsed, opsPerSec: ops / elapsed, p50Ms: percentile(sorted, 0.5), p99Ms: percentile(sorted, 0.99), cpu };
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.close()));
  }
}

function sum(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}
