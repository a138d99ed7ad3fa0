/**
 * The scale benchmark's keyspace part: N keys (default 1M) written in transactions of 128 puts,
 * then, for one cluster, what that state costs: resident memory per server, bytes on disk, the
 * time a snapshot save takes, the time from starting every server again (after kill -9 of all)
 * to a linearizable read answered, and the time a new member takes from its start to serving
 * the last key written (it catches up through a snapshot, as a replacement server would).
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, openSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { noop } from 'cockatiel';
import type { Etcd3 } from 'etcd3';
import type { Cluster, Server } from './clusters.js';
import type { ProgressBar } from '../../src/terminal/progress-bar.js';

const ROOT = resolve(import.meta.dirname, '../..');
/** etcd's default limit of operations per transaction; Roster's is the same. */
const PUTS_PER_TXN = 128;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export interface KeyspaceResult {
  readonly keys: number;
  readonly valueBytes: number;
  readonly loadSeconds: number;
  /** Transactions sent again during the load, and the first error that made one fail. */
  readonly loadRetries: number;
  readonly loadFirstError: string | undefined;
  readonly rssMiB: number[];
  readonly diskMiB: number[];
  readonly snapshotSaveSeconds: number;
  readonly snapshotMiB: number;
  readonly restartToServingSeconds: number;
  readonly newMemberServingSeconds: number;
}

const scaleKey = (i: number): string => `scale/${String(i).padStart(7, '0')}`;

/** Bytes under `dir`, every file. */
function bytesUnder(dir: string): number {
  let total = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    total += e.isDirectory() ? bytesUnder(p) : e.isFile() ? statSync(p).size : 0;
  }
  return total;
}

function dataDirOf(s: Server): string {
  const i = s.args.indexOf('--data-dir');
  if (i < 0) throw new Error(`${s.name}: no --data-dir`);
  return s.args[i + 1]!;
}

/** Retries `op` until it succeeds, for at most `ms`; the time it took (s). */
async function until(what: string, ms: number, op: () => Promise<boolean>): Promise<number> {
  const t0 = performance.now();
  while (performance.now() - t0 < ms) {
    try {
      if (await op()) return (performance.now() - t0) / 1000;
    } catch {
      // not yet
    }
    await sleep(50);
  }
  throw new Error(`${what}: not within ${ms} ms`);
}

/** Writes the keys; returns the time taken and how many transactions had to be sent again (with why, the first time). */
async function load(client: Etcd3, keys: number, value: Buffer, progress: ProgressBar): Promise<{ seconds: number; retries: number; firstError: string | undefined }> {
  const t0 = performance.now();
  let next = 0;
  let retries = 0;
  let firstError: string | undefined;
  const loop = async (): Promise<void> => {
    while (next < keys) {
      const from = next;
      next = Math.min(keys, next + PUTS_PER_TXN);
      for (let attempt = 0; ; attempt++) {
        try {
          const ns = client.namespace('');
          const txn = ns.if('scale/none', 'Version', '==', 0);
          await txn.then(...Array.from({ length: next - from }, (_, j) => ns.put(scaleKey(from + j)).value(value))).commit();
          break;
        } catch (err) {
          // A put is idempotent here (same key, same value): sending it again is safe.
          retries++;
          firstError ??= err instanceof Error ? err.message : String(err);
          if (attempt >= 20) throw err;
          await sleep(Math.min(2000, 100 * 2 ** attempt));
        }
      }
      progress.update((0.6 * next) / keys);
    }
  };
  await Promise.all(Array.from({ length: 16 }, loop));
  return { seconds: (performance.now() - t0) / 1000, retries, firstError };
}

/** Each running server answers a serializable read of `key` from its own state. */
async function allHold(c: Cluster, key: string, servers = c.servers): Promise<boolean> {
  const got = await Promise.all(
    servers.map(async (s) => {
      const cl = c.client([s.client], { dialTimeout: 1000, faultHandling: { global: noop, host: () => noop }, defaultCallOptions: () => ({ deadline: Date.now() + 2000 }) });
      try {
        return (await cl.get(key).serializable(true).exec()).kvs.length === 1;
      } finally {
        cl.close();
      }
    }),
  );
  return got.every((x) => x);
}

function snapshotSave(c: Cluster, leader: Server, file: string): number {
  const t0 = performance.now();
  const r =
    c.system === 'etcd'
      ? spawnSync('etcdctl', ['--endpoints', leader.client, 'snapshot', 'save', file], { encoding: 'utf8' })
      : spawnSync(process.execPath, [join(ROOT, 'dist/cli/main.js'), 'snapshot', 'save', file, '--endpoint', leader.client], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`snapshot save: ${r.stdout}${r.stderr}`);
  return (performance.now() - t0) / 1000;
}

/** A fourth server, added to the membership and started with an empty data dir. */
async function addMember(c: Cluster, leader: Server): Promise<Server> {
  const model = c.servers[c.servers.length - 1]!;
  const host = '127.0.' + model.client.split('.')[2] + '.4';
  const dataDir = join(dataDirOf(model), '..', c.system === 'etcd' ? 'e4' : 'n4');
  rmSync(dataDir, { recursive: true, force: true });
  if (c.system === 'etcd') {
    // A voting member: etcd 3.4's learners refuse reads, so one could not show it serves.
    // etcd refuses a new member until every member has been connected a while after a restart.
    let r = spawnSync('etcdctl', ['--endpoints', leader.client, 'member', 'add', 'e4', `--peer-urls=http://${host}:2380`], { encoding: 'utf8' });
    for (let i = 0; i < 60 && r.status !== 0 && r.stderr.includes('unhealthy cluster'); i++) {
      await sleep(500);
      r = spawnSync('etcdctl', ['--endpoints', leader.client, 'member', 'add', 'e4', `--peer-urls=http://${host}:2380`], { encoding: 'utf8' });
    }
    if (r.status !== 0) throw new Error(`etcdctl member add: ${r.stdout}${r.stderr}`);
    const initial = /ETCD_INITIAL_CLUSTER="([^"]+)"/.exec(r.stdout)?.[1];
    if (initial === undefined) throw new Error(`etcdctl member add printed no ETCD_INITIAL_CLUSTER: ${r.stdout}`);
    const args = ['--name', 'e4', '--data-dir', dataDir, '--listen-client-urls', `http://${host}:2379`, '--advertise-client-urls', `http://${host}:2379`, '--listen-peer-urls', `http://${host}:2380`, '--initial-advertise-peer-urls', `http://${host}:2380`, '--initial-cluster', initial, '--initial-cluster-state', 'existing', '--heartbeat-interval', '100', '--election-timeout', '1000'];
    return { name: 'e4', client: `${host}:2379`, command: 'etcd', args, proc: undefined };
  }
  const r = spawnSync(process.execPath, [join(ROOT, 'dist/cli/main.js'), 'operator', 'raft', 'add-learner', 'n4', `${host}:8300`, '--endpoint', leader.client], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`roster operator raft add-learner: ${r.stdout}${r.stderr}`);
  const swap = (a: string): string => a.replaceAll(model.client.replace(/:\d+$/, ''), host).replace(model.name, 'n4');
  const args = model.args.map((a, i) => (model.args[i - 1] === '--data-dir' ? dataDir : model.args[i - 1] === '--initial-cluster' ? a : swap(a)));
  const state = args.indexOf('--initial-cluster-token');
  args.splice(state, 0, '--initial-cluster-state', 'existing');
  return { name: 'n4', client: `${host}:8502`, command: model.command, args, proc: undefined };
}

/** Starts `s` and returns once its process runs (not waiting for its readiness line); its output goes to <data-dir>.log. */
function spawnServer(s: Server): void {
  const log = openSync(`${dataDirOf(s)}.log`, 'a');
  const proc = spawn(s.command, s.args, { cwd: ROOT, stdio: ['ignore', log, log] });
  closeSync(log);
  s.proc = proc;
  proc.once('exit', () => {
    if (s.proc === proc) s.proc = undefined;
  });
}

export async function keyspace(c: Cluster, keys: number, valueBytes: number, progress: ProgressBar): Promise<KeyspaceResult> {
  // No circuit breaker: after a burst of failures (a leader change) it refuses every call for 5 s.
  const client = c.client(c.servers.map((s) => s.client), { dialTimeout: 2000, faultHandling: { global: noop, host: () => noop }, defaultCallOptions: () => ({ deadline: Date.now() + 30_000 }) });
  const value = Buffer.alloc(valueBytes, 0x63);
  const last = scaleKey(keys - 1);
  let fresh: Server | undefined;
  let failed = true;
  try {
    const loaded = await load(client, keys, value, progress);
    const loadSeconds = loaded.seconds;
    await until('every server holds the last key', 120_000, () => allHold(c, last));
    const rssMiB = c.rssMiB();
    const diskMiB = c.servers.map((s) => Math.round(bytesUnder(dataDirOf(s)) / 2 ** 20));
    progress.update(0.65);
    const leader = await c.leader();
    const file = join(dataDirOf(leader), '..', `scale-${c.system}.snap`);
    const snapshotSaveSeconds = snapshotSave(c, leader, file);
    const snapshotMiB = Math.round(statSync(file).size / 2 ** 20);
    rmSync(file, { force: true });
    progress.update(0.7);
    // Every server killed, then all started at once: how long until the cluster serves again.
    for (const s of c.servers) c.kill9(s);
    await sleep(500);
    const t0 = performance.now();
    for (const s of c.servers) spawnServer(s);
    // A fresh client per attempt, without the etcd3 client's circuit breaker (which, after a few
    // failed calls, waits seconds before trying a host again): the cluster's time, not the client's.
    await until('a linearizable read after restarting every server', 300_000, async () => {
      const probe = c.client(c.servers.map((s) => s.client), { dialTimeout: 500, faultHandling: { global: noop, host: () => noop }, defaultCallOptions: () => ({ deadline: Date.now() + 1000 }) });
      try {
        return (await probe.get(last).exec()) !== null;
      } finally {
        probe.close();
      }
    });
    const restartToServingSeconds = (performance.now() - t0) / 1000;
    progress.update(0.85);
    fresh = await addMember(c, await c.leader());
    const t1 = performance.now();
    spawnServer(fresh);
    await until('the new member serving the last key', 300_000, () => allHold(c, last, [fresh!]));
    const newMemberServingSeconds = (performance.now() - t1) / 1000;
    progress.update(1);
    failed = false;
    return { keys, valueBytes, loadSeconds, loadRetries: loaded.retries, loadFirstError: loaded.firstError, rssMiB, diskMiB, snapshotSaveSeconds, snapshotMiB, restartToServingSeconds, newMemberServingSeconds };
  } finally {
    client.close();
    if (failed && fresh !== undefined) console.error(`\n${fresh.name}'s output is in ${dataDirOf(fresh)}.log; its command: ${fresh.command} ${fresh.args.join(' ')}`);
    if (fresh?.proc !== undefined) {
      const p = fresh.proc;
      const gone = new Promise<void>((r) => p.once('exit', () => r()));
      p.kill('SIGKILL');
      await gone;
    }
  }
}
