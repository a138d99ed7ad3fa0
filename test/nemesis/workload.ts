import type { ServerProc, TestCluster } from '../integration/cluster-harness.js';
import type { Rng } from '../../src/util/rng.js';
import type { GetOp, Op, Outcome, PutOp } from './history.js';

export type ReadMode = 'linearizable' | 'serializable';

export interface WorkloadOptions {
  readonly clients: number;
  readonly keys: readonly string[];
  readonly reads: ReadMode;
  /** Per-op gRPC deadline. */
  readonly opTimeoutMs: number;
  /** performance.now() after which no client starts an op. */
  readonly untilMs: number;
  /** A bound on the history's length, whatever the speed. */
  readonly maxOps: number;
  /** Set to stop the clients early (after their current op). */
  readonly stop: { stopped: boolean };
}

/** Pause after a failed op, so a client does not spin against a server that is down. */
const ERROR_PAUSE_MS = 25;

/**
 * Concurrent clients doing puts (unique values) and gets on a few keys, each op against a
 * random server, recording every op with its invoke and return time on one monotonic clock.
 */
export async function runClients(cluster: TestCluster, rng: Rng, opts: WorkloadOptions, history: Op[]): Promise<void> {
  await Promise.all(Array.from({ length: opts.clients }, (_, client) => runClient(cluster, rng.fork(), opts, history, client)));
}

async function runClient(cluster: TestCluster, rng: Rng, opts: WorkloadOptions, history: Op[], client: number): Promise<void> {
  for (let n = 0; performance.now() < opts.untilMs && history.length < opts.maxOps && !opts.stop.stopped; n++) {
    const server = rng.pick(cluster.servers);
    const key = rng.pick(opts.keys);
    const op = rng.chance(0.5) ? await put(cluster, server, client, key, `${client}.${n}`, opts.opTimeoutMs) : await get(cluster, server, client, key, opts.reads, opts.opTimeoutMs);
    history.push(op);
    if (op.outcome !== 'ok') await new Promise((r) => setTimeout(r, ERROR_PAUSE_MS));
  }
}

/**
 * Any failed put is ambiguous: with etcd's semantics a timeout, a dropped connection or an
 * UNAVAILABLE after a leader change may come after the write reached the log. (Counting them as
 * not applied would make the checker stricter than the server promises.)
 */
export async function put(cluster: TestCluster, server: ServerProc, client: number, key: string, value: string, timeoutMs: number): Promise<PutOp> {
  const invokeMs = performance.now();
  let outcome: Outcome = 'ok';
  try {
    await cluster.call(server, 'KV', 'Put', { key: Buffer.from(key), value: Buffer.from(value) }, { timeoutMs });
  } catch {
    outcome = 'ambiguous';
  }
  return { kind: 'put', client, key, value, invokeMs, returnMs: performance.now(), outcome };
}

/** A get that fails told us nothing: it is recorded as failed. */
export async function get(cluster: TestCluster, server: ServerProc, client: number, key: string, reads: ReadMode, timeoutMs: number): Promise<GetOp> {
  const invokeMs = performance.now();
  try {
    const r = await cluster.call<{ kvs: { value: Buffer }[] }>(server, 'KV', 'Range', { key: Buffer.from(key), serializable: reads === 'serializable' }, { timeoutMs });
    const kv = r.kvs[0];
    return { kind: 'get', client, key, value: kv === undefined ? null : Buffer.from(kv.value).toString(), invokeMs, returnMs: performance.now(), outcome: 'ok' };
  } catch {
    return { kind: 'get', client, key, value: null, invokeMs, returnMs: performance.now(), outcome: 'failed' };
  }
}
