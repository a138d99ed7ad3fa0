/**
 * npm run bench:leases [-- --leases N --ttl S --ttls K --no-failover]
 *
 * Roster's lease target: N live leases (default 50,000) of S seconds (default 30) on one 3-server
 * cluster, kept alive at S/3 by the SDK's LeaseKeeper (one keep-alive stream per server, each
 * holding a third of the leases), for K TTLs (default 4). Halfway through, the leader is killed
 * with SIGKILL and restarted: the new leader must extend every remaining TTL, and the keepers whose
 * stream broke must move to another server, without one lease expiring. At the end every lease
 * must still be listed by LeaseLeases and have time left. Saves JSON to
 * bench-results/leases-latest.json; exits non-zero if a lease was lost.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Endpoints } from '../../src/client/endpoints.js';
import { LeaseKeeper } from '../../src/client/lease-keeper.js';
import { etcdProto } from '../../src/proto/etcd-proto.js';
import { startRoster } from './clusters.js';
import { ProgressBar } from '../../src/terminal/progress-bar.js';

interface Args {
  readonly leases: number;
  readonly ttl: number;
  readonly ttls: number;
  readonly failover: boolean;
}

function parse(argv: string[]): Args {
  const a = { leases: 50_000, ttl: 30, ttls: 4, failover: true };
  for (let i = 0; i < argv.length; i++) {
    const f = argv[i];
    if (f === '--no-failover') {
      a.failover = false;
      continue;
    }
    const v = Number(argv[++i]);
    if (f === '--leases') a.leases = v;
    else if (f === '--ttl') a.ttl = v;
    else if (f === '--ttls') a.ttls = v;
    else throw new Error('usage: npm run bench:leases -- [--leases N] [--ttl SECONDS] [--ttls K] [--no-failover]');
  }
  for (const k of ['leases', 'ttl', 'ttls'] as const) if (!(Number.isInteger(a[k]) && a[k] > 0)) throw new Error(`--${k} must be a positive whole number`);
  if (a.ttl < 6) throw new Error('--ttl must be at least 6 seconds (a lease must outlive a leader election)');
  return a;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const LeaseCtor = (): ReturnType<typeof etcdProto>['etcdserverpb']['Lease'] => etcdProto().etcdserverpb.Lease;

/** Grants `n` leases, 96 in flight spread over every server, handing each to `keep` at once (as an app would). */
async function grantAll(ep: Endpoints[], n: number, ttl: number, keep: (id: string, i: number) => void, progress: ProgressBar): Promise<string[]> {
  const ids: string[] = [];
  let next = 0;
  const worker = async (w: number): Promise<void> => {
    const e = ep[w % ep.length]!;
    while (next < n) {
      next++;
      const res = await e.unary(LeaseCtor(), 'LeaseGrant', { TTL: ttl, ID: 0 }, 10_000);
      if (res.error !== '') throw new Error(`LeaseGrant: ${res.error}`);
      keep(res.ID, ids.length);
      ids.push(res.ID);
      if (ids.length % 500 === 0) progress.update((0.25 * ids.length) / n);
    }
  };
  await Promise.all(Array.from({ length: 96 }, (_, w) => worker(w)));
  return ids;
}

async function main(): Promise<void> {
  const a = parse(process.argv.slice(2));
  const built = spawnSync('npm', ['run', 'build', '--silent'], { cwd: resolve(import.meta.dirname, '../..'), stdio: 'inherit' });
  if (built.status !== 0) throw new Error('npm run build failed');
  const c = await startRoster(join(tmpdir(), `roster-bench-leases-${process.pid}`));
  const addrs = c.servers.map((s) => s.client);
  // Each keeper starts on a different server and fails over to the others in turn.
  const endpoints = addrs.map((_, i) => new Endpoints([...addrs.slice(i), ...addrs.slice(0, i)]));
  const keepers = endpoints.map((e) => new LeaseKeeper(e));
  const progress = new ProgressBar(`${a.leases.toLocaleString('en-US')} leases, TTL ${a.ttl} s`);
  const lost: string[] = [];
  try {
    const t0 = performance.now();
    const ids = await grantAll(endpoints, a.leases, a.ttl, (id, i) => keepers[i % keepers.length]!.add(id, a.ttl, () => lost.push(id)), progress);
    const grantSeconds = (performance.now() - t0) / 1000;
    const holdMs = a.ttls * a.ttl * 1000;
    const held = performance.now();
    let failoverMs: number | undefined;
    let killed: string | undefined;
    while (performance.now() - held < holdMs) {
      const elapsed = performance.now() - held;
      if (a.failover && killed === undefined && elapsed >= holdMs / 2) {
        const leader = await c.leader();
        killed = leader.name;
        const k0 = performance.now();
        c.kill9(leader);
        await c.leader();
        failoverMs = performance.now() - k0;
        await c.start(leader);
      }
      progress.update(0.25 + (0.7 * elapsed) / holdMs);
      await sleep(250);
    }
    // Every lease must still be there, with time left.
    const leader = await c.leader();
    const atLeader = new Endpoints([leader.client]);
    const listed = await atLeader.unary(LeaseCtor(), 'LeaseLeases', {}, 30_000).finally(() => atLeader.close());
    const alive = new Set(listed.leases.map((l) => l.ID));
    const missing = ids.filter((id) => !alive.has(id));
    const sample = ids.filter((_, i) => i % Math.max(1, Math.floor(ids.length / 200)) === 0);
    const remaining: number[] = [];
    for (const id of sample) {
      const r = await endpoints[0]!.unary(LeaseCtor(), 'LeaseTimeToLive', { ID: id }, 10_000);
      remaining.push(Number(r.TTL));
    }
    remaining.sort((x, y) => x - y);
    progress.done(`${lost.length} lost, ${missing.length} missing`);
    const result = {
      date: new Date().toISOString(),
      args: a,
      cpus: cpus().length,
      granted: ids.length,
      grantSeconds,
      grantsPerSecond: ids.length / grantSeconds,
      keepAlivesPerSecond: ids.length / (a.ttl / 3),
      heldSeconds: holdMs / 1000,
      leaderKilled: killed ?? null,
      newLeaderAfterMs: failoverMs ?? null,
      reportedLost: lost.length,
      missingAtEnd: missing.length,
      remainingTtlSecondsOfSample: { min: remaining[0], median: remaining[Math.floor(remaining.length / 2)], max: remaining[remaining.length - 1], of: remaining.length },
    };
    const dir = resolve(import.meta.dirname, '../../bench-results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'leases-latest.json'), `${JSON.stringify(result, null, 2)}\n`);
    console.log(JSON.stringify(result, null, 2));
    console.log('results saved to bench-results/leases-latest.json');
    if (lost.length > 0 || missing.length > 0) process.exitCode = 1;
  } finally {
    for (const k of keepers) k.close();
    for (const e of endpoints) e.close();
    await c.stop();
  }
}

main().catch((err: unknown) => {
  console.error(`bench:leases: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
