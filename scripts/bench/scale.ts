/**
 * npm run bench:scale [-- --keys N --value-bytes B --instances I --services S --watchers W
 *                        --storm-seconds D --parts keys,storm --only roster,etcd]
 *
 * Roster at scale, beside etcd 3.4 in one run (3-server clusters on loopback, as npm run
 * bench starts them):
 *   - keys: N keys (default 1,000,000, B = 100 bytes each) written in transactions of 128;
 *     then RSS per server, bytes on disk, snapshot save, the time from starting every server
 *     again (after kill -9 of all) to a linearizable read, and a new member's time to serving
 *     (scale-keys.ts);
 *   - storm: a deploy storm, I instances of S services re-registered in D seconds with W
 *     watchers (default 10,000 / 1,000 / 10,000 / 10 s): delivery delay p50/p99/max
 *     (deploy-storm.ts).
 * Each part gets a fresh cluster. Prints a table with Roster / etcd ratios and saves JSON to
 * bench-results/scale-latest.json.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { etcdAvailable, startEtcd, startRoster, type Cluster } from './clusters.js';
import { ProgressBar } from '../../src/terminal/progress-bar.js';
import { keyspace, type KeyspaceResult } from './scale-keys.js';
import { etcdStorm, rosterStorm, type StormArgs, type StormResult } from './deploy-storm.js';

const USAGE = 'usage: npm run bench:scale -- [--keys N] [--value-bytes B] [--instances I] [--services S] [--watchers W] [--storm-seconds D] [--parts keys,storm] [--only roster,etcd]';

interface Args extends StormArgs {
  readonly keys: number;
  readonly valueBytes: number;
  readonly parts: readonly ('keys' | 'storm')[];
  readonly only: readonly ('roster' | 'etcd')[];
}

function parse(argv: string[]): Args {
  const a = { keys: 1_000_000, valueBytes: 100, instances: 10_000, services: 1_000, watchers: 10_000, stormSeconds: 10, parts: ['keys', 'storm'] as ('keys' | 'storm')[], only: ['roster', 'etcd'] as ('roster' | 'etcd')[] };
  const numbers: Record<string, 'keys' | 'valueBytes' | 'instances' | 'services' | 'watchers' | 'stormSeconds'> = { '--keys': 'keys', '--value-bytes': 'valueBytes', '--instances': 'instances', '--services': 'services', '--watchers': 'watchers', '--storm-seconds': 'stormSeconds' };
  for (let i = 0; i < argv.length; i++) {
    const f = argv[i]!;
    const v = argv[++i];
    const field = numbers[f];
    if (field !== undefined) {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1) throw new Error(`${f} must be a positive whole number (${USAGE})`);
      a[field] = n;
    } else if (f === '--parts' && v !== undefined && v.split(',').every((p) => p === 'keys' || p === 'storm')) a.parts = v.split(',') as ('keys' | 'storm')[];
    else if (f === '--only' && v !== undefined && v.split(',').every((p) => p === 'roster' || p === 'etcd')) a.only = v.split(',') as ('roster' | 'etcd')[];
    else throw new Error(USAGE);
  }
  if (a.services > a.instances || a.services > a.watchers) throw new Error('--services cannot exceed --instances or --watchers');
  return a;
}

interface SystemScale {
  readonly system: 'roster' | 'etcd';
  keys?: KeyspaceResult;
  storm?: StormResult;
}

const fmt = (n: number | undefined, digits = 0): string => (n === undefined || !Number.isFinite(n) ? '-' : n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }));
const ratio = (a: number | undefined, b: number | undefined): string => (a !== undefined && b !== undefined && b > 0 && Number.isFinite(a) && Number.isFinite(b) ? `${(a / b).toFixed(2)}x` : '-');

function render(a: Args, results: readonly SystemScale[]): string {
  const r = results.find((x) => x.system === 'roster');
  const e = results.find((x) => x.system === 'etcd');
  const lines = ['| measure | Roster | etcd 3.4 | Roster / etcd | target |', '|---|---:|---:|---:|---|'];
  const row = (label: string, read: (x: SystemScale) => number | undefined, digits: number, target = ''): void => {
    const [x, y] = [r, e].map((s) => (s === undefined ? undefined : read(s)));
    lines.push(`| ${label} | ${fmt(x, digits)} | ${fmt(y, digits)} | ${ratio(x, y)} | ${target} |`);
  };
  if (a.parts.includes('keys')) {
    const k = `${fmt(a.keys)} keys of ${a.valueBytes} B`;
    row(`${k}: load, keys/s (txns of 128)`, (x) => (x.keys === undefined ? undefined : x.keys.keys / x.keys.loadSeconds), 0);
    row(`${k}: load, transactions sent again`, (x) => x.keys?.loadRetries, 0);
    row(`${k}: RSS MiB per server (max)`, (x) => (x.keys === undefined ? undefined : Math.max(...x.keys.rssMiB)), 0);
    row(`${k}: on disk MiB per server (max)`, (x) => (x.keys === undefined ? undefined : Math.max(...x.keys.diskMiB)), 0);
    row(`${k}: snapshot save, s`, (x) => x.keys?.snapshotSaveSeconds, 2);
    row(`${k}: snapshot file MiB`, (x) => x.keys?.snapshotMiB, 0);
    row(`${k}: every server restarted to a linearizable read, s`, (x) => x.keys?.restartToServingSeconds, 2, '<= etcd');
    row(`${k}: a new member started to serving the last key, s`, (x) => x.keys?.newMemberServingSeconds, 2);
  }
  if (a.parts.includes('storm')) {
    const s = `storm: ${fmt(a.instances)} instances / ${fmt(a.services)} services / ${fmt(a.watchers)} watchers`;
    row(`${s}: re-registered in, s (paced for ${a.stormSeconds})`, (x) => x.storm?.stormSeconds, 1);
    row(`${s}: delivery p50 ms`, (x) => x.storm?.p50Ms, 1);
    row(`${s}: delivery p99 ms`, (x) => x.storm?.p99Ms, 1, '<= etcd');
    row(`${s}: delivery max ms`, (x) => x.storm?.maxMs, 1);
    row(`${s}: events delivered of expected, %`, (x) => (x.storm === undefined ? undefined : (100 * x.storm.delivered) / x.storm.expected), 1, '100');
    row(`${s}: write errors`, (x) => x.storm?.writeErrors, 0, '0');
    row(`${s}: client cores busy (writer and watchers)`, (x) => x.storm?.clientCores, 2);
    row(`${s}: servers' cores busy (three)`, (x) => x.storm?.serverCores, 2);
  }
  return lines.join('\n');
}

async function withCluster<T>(system: 'roster' | 'etcd', base: string, run: (c: Cluster) => Promise<T>): Promise<T> {
  const c = system === 'etcd' ? await startEtcd(base) : await startRoster(base);
  try {
    return await run(c);
  } finally {
    await c.stop();
  }
}

async function main(): Promise<void> {
  const a = parse(process.argv.slice(2));
  const base = join(tmpdir(), `roster-bench-scale-${process.pid}`);
  if (a.only.includes('roster')) {
    const built = spawnSync('npm', ['run', 'build', '--silent'], { cwd: resolve(import.meta.dirname, '../..'), stdio: 'inherit' });
    if (built.status !== 0) throw new Error('npm run build failed');
  }
  if (a.only.includes('etcd') && !etcdAvailable()) throw new Error('etcd is not installed: apt-get install etcd-server (Debian) to compare with etcd 3.4');
  const results: SystemScale[] = [];
  for (const system of a.only) {
    const label = system === 'etcd' ? 'etcd 3.4' : 'Roster';
    const out: SystemScale = { system };
    if (a.parts.includes('keys')) {
      const p = new ProgressBar(`${label}: ${a.keys.toLocaleString('en-US')} keys`);
      out.keys = await withCluster(system, base, (c) => keyspace(c, a.keys, a.valueBytes, p));
      p.done(`restart to serving ${out.keys.restartToServingSeconds.toFixed(1)} s`);
    }
    if (a.parts.includes('storm')) {
      const p = new ProgressBar(`${label}: deploy storm`);
      out.storm = await withCluster(system, base, (c) => (system === 'etcd' ? etcdStorm(c, a, p) : rosterStorm(c, a, p)));
      p.done(`delivery p99 ${out.storm.p99Ms.toFixed(1)} ms`);
    }
    results.push(out);
  }
  rmSync(base, { recursive: true, force: true });
  const table = render(a, results);
  console.log(`\n${table}\nload average at the end: ${loadavg().map((l) => l.toFixed(1)).join(', ')} (${availableParallelism()} cores)`);
  const dir = resolve(import.meta.dirname, '../../bench-results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'scale-latest.json'), `${JSON.stringify({ date: new Date().toISOString(), args: a, loadAverage: loadavg(), results, table }, null, 2)}\n`);
  console.log('results saved to bench-results/scale-latest.json');
}

main().catch((err: unknown) => {
  console.error(`bench:scale: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
