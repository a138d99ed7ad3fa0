/**
 * npm run bench [-- --seconds S] [--warmup S] [--soak S] [--failover N] [--only roster,roster-tls,roster-acl,etcd]
 *
 * The same workload through the etcd3 client against three 3-server clusters, one after the
 * other on this machine's loopback, in one run: Roster without TLS, Roster with TLS (client and
 * peer TLS, client certificates required: the secure topology of scripts/cluster.sh --tls) and
 * etcd 3.4 (Debian's etcd-server: fsync on, heartbeat 100 ms, election 1000 ms). Each gets puts
 * at 1/16/64/256 in flight (256-byte values over 100k keys, after an unmeasured warm-up of puts at
 * 16 in flight: a server just started runs its code cold, unoptimized by the JIT), linearizable and serializable gets
 * at 64, failover time after kill -9 of the leader (median), RSS per server after 100k keys, and
 * optionally a steady-load soak watching for leader changes. The puts and gets come from load
 * worker threads (load-pool.ts, one per core unless --workers), and each phase reports the CPU
 * the client and the servers used. Prints a side-by-side table (with the TLS / plain and
 * Roster / etcd ratios), the CPU table, and saves JSON to bench-results/.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { etcdAvailable, startEtcd, startRoster, type Cluster } from './clusters.js';
import { ProgressBar } from '../../src/terminal/progress-bar.js';
import { labelOf, renderCpu, renderStages, renderTable, type SystemResults } from './report.js';
import { clientFor, failover, preload, soak } from './workloads.js';
import { LoadPool } from './load-pool.js';
import { readStageCounters, stageMeans } from './put-stages.js';

const SYSTEMS = ['roster', 'roster-tls', 'roster-acl', 'etcd'] as const;
type SystemName = (typeof SYSTEMS)[number];
const USAGE = 'usage: npm run bench -- [--seconds S] [--warmup S] [--soak S] [--failover N] [--workers N] [--only roster,roster-tls,roster-acl,etcd]';

interface Args {
  seconds: number;
  /** Unmeasured puts before the first phase, the same for every system. */
  warmup: number;
  soak: number;
  failover: number;
  /** Load worker threads (default: one per core). */
  workers: number;
  /** The systems to run, in this order. */
  only: SystemName[];
}

function parse(argv: string[]): Args {
  const a: Args = { seconds: 10, warmup: 3, soak: 0, failover: 5, workers: availableParallelism(), only: [...SYSTEMS] };
  for (let i = 0; i < argv.length; i++) {
    const f = argv[i];
    const v = argv[++i];
    if (f === '--seconds') a.seconds = Number(v);
    else if (f === '--warmup') a.warmup = Number(v);
    else if (f === '--soak') a.soak = Number(v);
    else if (f === '--failover') a.failover = Number(v);
    else if (f === '--workers') a.workers = Number(v);
    else if (f === '--only' && v !== undefined) {
      const names = v.split(',');
      const unknown = names.filter((n) => !(SYSTEMS as readonly string[]).includes(n));
      if (unknown.length > 0 || names.length === 0) throw new Error(`--only: unknown system ${unknown.join(',')} (${USAGE})`);
      a.only = SYSTEMS.filter((s) => names.includes(s));
    } else throw new Error(USAGE);
  }
  if (!(a.seconds > 0) || !(a.warmup >= 0) || !(a.soak >= 0) || !(a.failover >= 1) || !Number.isInteger(a.workers) || a.workers < 1) throw new Error('--seconds, --failover and --workers must be positive, --warmup and --soak non-negative');
  return a;
}

function median(xs: number[]): number {
  const s = xs.slice().sort((x, y) => x - y);
  return s[Math.floor(s.length / 2)]!;
}

async function measure(c: Cluster, a: Args): Promise<SystemResults> {
  const label = labelOf(c);
  const client = clientFor(c);
  const pool = await LoadPool.start(c, a.workers);
  const out: SystemResults = { system: c.system, tls: c.tls, acl: c.acl === true, puts: {}, gets: {}, failoverMs: [], failoverMedianMs: 0, rssMiB: [], soak: undefined };
  try {
    if (a.warmup > 0) {
      const p = new ProgressBar(`${label}: warm-up puts, 16 in flight (not measured)`);
      await pool.phase('put', 16, a.warmup, p);
      p.done();
    }
    for (const inflight of [1, 16, 64, 256]) {
      const p = new ProgressBar(`${label}: puts, ${inflight} in flight`);
      const leaderHttp = c.system === 'roster' ? (await c.leader()).http : undefined;
      const before = leaderHttp === undefined ? undefined : await readStageCounters(leaderHttp);
      out.puts[inflight] = await pool.phase('put', inflight, a.seconds, p);
      if (leaderHttp !== undefined && before !== undefined) (out.putStages ??= {})[inflight] = stageMeans(before, await readStageCounters(leaderHttp));
      p.done(`${Math.round(out.puts[inflight].opsPerSec)}/s`);
    }
    const pre = new ProgressBar(`${label}: writing 100k keys`);
    await preload(client, pre);
    pre.done();
    for (const serializable of [false, true]) {
      const p = new ProgressBar(`${label}: ${serializable ? 'serializable' : 'linearizable'} gets, 64`);
      out.gets[serializable ? 'serializable' : 'linearizable'] = await pool.phase('get', 64, a.seconds, p, serializable);
      p.done(`${Math.round(out.gets[serializable ? 'serializable' : 'linearizable']!.opsPerSec)}/s`);
    }
    out.rssMiB = c.rssMiB();
    if (a.soak > 0) {
      const p = new ProgressBar(`${label}: steady load ${a.soak}s`);
      out.soak = await soak(c, pool, a.soak, p);
      p.done(`${out.soak.leaderChanges} leader changes`);
    }
  } finally {
    client.close();
    await pool.close();
  }
  const p = new ProgressBar(`${label}: failover x${a.failover}`);
  out.failoverMs = await failover(c, a.failover, p);
  out.failoverMedianMs = median(out.failoverMs);
  p.done(`median ${Math.round(out.failoverMedianMs)} ms`);
  return out;
}

async function main(): Promise<void> {
  const a = parse(process.argv.slice(2));
  const base = join(tmpdir(), `roster-bench-${process.pid}`);
  const results: SystemResults[] = [];
  if (a.only.some((s) => s !== 'etcd')) {
    const built = spawnSync('npm', ['run', 'build', '--silent'], { cwd: resolve(import.meta.dirname, '../..'), stdio: 'inherit' });
    if (built.status !== 0) throw new Error('npm run build failed');
  }
  if (a.only.includes('etcd') && !etcdAvailable()) throw new Error('etcd is not installed: apt-get install etcd-server (Debian) to compare with etcd 3.4');
  for (const system of a.only) {
    const c = system === 'etcd' ? await startEtcd(base) : await startRoster(base, { tls: system === 'roster-tls', acl: system === 'roster-acl' });
    try {
      results.push(await measure(c, a));
    } finally {
      await c.stop();
    }
  }
  rmSync(base, { recursive: true, force: true });
  const table = renderTable(results);
  console.log(`\n${table}`);
  console.log(`\nWhere the CPU went (cores busy; the servers' CPU per call):\n${renderCpu(results)}`);
  const stages = renderStages(results);
  if (stages !== '') console.log(`\nWhere a Roster put's time goes on its leader (means, ms):\n${stages}`);
  const dir = resolve(import.meta.dirname, '../../bench-results');
  mkdirSync(dir, { recursive: true });
  // The load average says how far other work on the machine may have moved the figures.
  const os = await import('node:os');
  const record = { date: new Date().toISOString(), args: a, cpus: os.cpus().length, loadAverage: os.loadavg(), results, table, cpu: renderCpu(results), stages };
  console.log(`load average at the end: ${os.loadavg().map((l) => l.toFixed(1)).join(', ')} (${os.cpus().length} cores)`);
  writeFileSync(join(dir, 'latest.json'), `${JSON.stringify(record, null, 2)}\n`);
  writeFileSync(join(dir, `${record.date.replace(/[:.]/g, '-')}.json`), `${JSON.stringify(record, null, 2)}\n`);
  console.log(`results saved to bench-results/latest.json`);
}

main().catch((err: unknown) => {
  console.error(`bench: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
