/**
 * npm run bench [-- --seconds S] [--soak S] [--failover N] [--only roster|etcd]
 *
 * The same workload through the etcd3 client against a 3-server Roster cluster and a 3-server
 * etcd 3.4 cluster (Debian's etcd-server: fsync on, heartbeat 100 ms, election 1000 ms), both on
 * this machine's loopback, in one run: puts at 1/16/64/256 in flight (256-byte values over 100k
 * keys), linearizable and serializable gets at 64, failover time after kill -9 of the leader
 * (median), RSS per server after 100k keys, and optionally a steady-load soak watching for
 * leader changes. Prints a side-by-side table and saves JSON to bench-results/.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { etcdAvailable, startEtcd, startRoster, type Cluster } from './clusters.js';
import { ProgressBar } from '../../src/terminal/progress-bar.js';
import { renderTable, type SystemResults } from './report.js';
import { clientFor, failover, getPhase, preload, putPhase, soak } from './workloads.js';

interface Args {
  seconds: number;
  soak: number;
  failover: number;
  only: 'roster' | 'etcd' | undefined;
}

function parse(argv: string[]): Args {
  const a: Args = { seconds: 10, soak: 0, failover: 5, only: undefined };
  for (let i = 0; i < argv.length; i++) {
    const f = argv[i];
    const v = argv[++i];
    if (f === '--seconds') a.seconds = Number(v);
    else if (f === '--soak') a.soak = Number(v);
    else if (f === '--failover') a.failover = Number(v);
    else if (f === '--only' && (v === 'roster' || v === 'etcd')) a.only = v;
    else throw new Error('usage: npm run bench -- [--seconds S] [--soak S] [--failover N] [--only roster|etcd]');
  }
  if (!(a.seconds > 0) || !(a.soak >= 0) || !(a.failover >= 1)) throw new Error('--seconds and --failover must be positive, --soak non-negative');
  return a;
}

function median(xs: number[]): number {
  const s = xs.slice().sort((x, y) => x - y);
  return s[Math.floor(s.length / 2)]!;
}

async function measure(c: Cluster, a: Args): Promise<SystemResults> {
  const label = c.system === 'roster' ? 'Roster' : 'etcd 3.4';
  const client = clientFor(c);
  const out: SystemResults = { system: c.system, puts: {}, gets: {}, failoverMs: [], failoverMedianMs: 0, rssMiB: [], soak: undefined };
  try {
    for (const inflight of [1, 16, 64, 256]) {
      const p = new ProgressBar(`${label}: puts, ${inflight} in flight`);
      out.puts[inflight] = await putPhase(client, inflight, a.seconds, p);
      p.done(`${Math.round(out.puts[inflight].opsPerSec)}/s`);
    }
    const pre = new ProgressBar(`${label}: writing 100k keys`);
    await preload(client, pre);
    pre.done();
    for (const serializable of [false, true]) {
      const p = new ProgressBar(`${label}: ${serializable ? 'serializable' : 'linearizable'} gets, 64`);
      out.gets[serializable ? 'serializable' : 'linearizable'] = await getPhase(client, 64, a.seconds, serializable, p);
      p.done(`${Math.round(out.gets[serializable ? 'serializable' : 'linearizable']!.opsPerSec)}/s`);
    }
    out.rssMiB = c.rssMiB();
    if (a.soak > 0) {
      const p = new ProgressBar(`${label}: steady load ${a.soak}s`);
      out.soak = await soak(c, client, a.soak, p);
      p.done(`${out.soak.leaderChanges} leader changes`);
    }
  } finally {
    client.close();
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
  if (a.only !== 'etcd') {
    const built = spawnSync('npm', ['run', 'build', '--silent'], { cwd: resolve(import.meta.dirname, '../..'), stdio: 'inherit' });
    if (built.status !== 0) throw new Error('npm run build failed');
    const roster = await startRoster(base);
    try {
      results.push(await measure(roster, a));
    } finally {
      await roster.stop();
    }
  }
  if (a.only !== 'roster') {
    if (!etcdAvailable()) throw new Error('etcd is not installed: apt-get install etcd-server (Debian) to compare with etcd 3.4');
    const etcd = await startEtcd(base);
    try {
      results.push(await measure(etcd, a));
    } finally {
      await etcd.stop();
    }
  }
  const table = renderTable(results);
  console.log(`\n${table}`);
  const dir = resolve(import.meta.dirname, '../../bench-results');
  mkdirSync(dir, { recursive: true });
  const record = { date: new Date().toISOString(), args: a, cpus: (await import('node:os')).cpus().length, results, table };
  writeFileSync(join(dir, 'latest.json'), `${JSON.stringify(record, null, 2)}\n`);
  writeFileSync(join(dir, `${record.date.replace(/[:.]/g, '-')}.json`), `${JSON.stringify(record, null, 2)}\n`);
  console.log(`results saved to bench-results/latest.json`);
}

main().catch((err: unknown) => {
  console.error(`bench: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
