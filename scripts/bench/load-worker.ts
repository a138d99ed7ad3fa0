/**
 * One load worker (a worker thread of load-pool.ts): its own etcd3 client, and in each phase
 * its share of the loops in flight, each issuing the next call as soon as the last answers,
 * until the phase's end time. It sends back every latency it measured.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { etcdClient, type ClientSpec } from './client-spec.js';
import { benchKey, KEYS } from './keys.js';

export interface WorkerInit {
  readonly module: string;
  readonly spec: ClientSpec;
  readonly hosts: readonly string[];
}

export interface PhaseOrder {
  readonly kind: 'put' | 'get';
  readonly serializable: boolean;
  readonly loops: number;
  /** The phase ends at this performance.timeOrigin + performance.now() (ms), the same instant in every worker. */
  readonly endAt: number;
}

export interface PhaseReport {
  readonly ops: number;
  readonly errors: number;
  /** Latencies (ms) of the calls that succeeded, at most MAX_SAMPLES. */
  readonly latencies: Float64Array;
}

const MAX_SAMPLES = 2_000_000;
const init = workerData as WorkerInit;
const client = etcdClient(init.spec, init.hosts, { dialTimeout: 2000, defaultCallOptions: () => ({ deadline: Date.now() + 5000 }) });
const value = Buffer.alloc(256, 0x61);
const port = parentPort!;

async function runPhase(order: PhaseOrder): Promise<PhaseReport> {
  const lat = new Float64Array(MAX_SAMPLES);
  let n = 0;
  let errors = 0;
  const end = order.endAt - performance.timeOrigin;
  const op = order.kind === 'put' ? () => client.put(benchKey(Math.floor(Math.random() * KEYS))).value(value).exec() : () => client.get(benchKey(Math.floor(Math.random() * KEYS))).serializable(order.serializable).exec();
  const loop = async (): Promise<void> => {
    while (performance.now() < end) {
      const t0 = performance.now();
      try {
        await op();
        if (n < lat.length) lat[n++] = performance.now() - t0;
      } catch {
        errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: order.loops }, loop));
  return { ops: n, errors, latencies: lat.slice(0, n) };
}

port.on('message', (msg: { phase?: PhaseOrder; close?: true }) => {
  if (msg.close === true) {
    client.close();
    port.close();
    return;
  }
  if (msg.phase === undefined) return;
  runPhase(msg.phase).then(
    (r) => port.postMessage(r, [r.latencies.buffer as ArrayBuffer]),
    (err: unknown) => port.postMessage({ failed: String(err) }),
  );
});
port.postMessage({ ready: true });
