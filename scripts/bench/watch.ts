/**
 * npm run bench:watch [-- --watchers N --targets T --changes C --rate R --only roster|etcd]
 *
 * Watch delivery, Roster against etcd 3.4 in one run (clusters of three servers on loopback, as
 * in npm run bench): N watchers (default 10,000) spread over the three servers, following T
 * targets (default 100, so each change wakes N/T watchers); C changes (default 200) at R per
 * second (default 20). Reports the delay from each write's acknowledgement to each watcher's
 * event (p50, p99, max) and the server memory per idle watcher, for
 *   - etcd's Watch through the etcd3 client, against etcd and against Roster, and
 *   - Roster's own registry watch (a service's instances) through Roster's SDK.
 * Saves JSON to bench-results/watch-latest.json.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { etcdAvailable, startEtcd, startRoster, type Cluster } from './clusters.js';
import { ProgressBar } from '../../src/terminal/progress-bar.js';
import { etcdClientWatch, rosterNativeWatch, type WatchArgs, type WatchResult } from './watch-load.js';

interface Args extends WatchArgs {
  readonly only: 'roster' | 'etcd' | undefined;
}

function parse(argv: string[]): Args {
  const a = { watchers: 10_000, targets: 100, changes: 200, rate: 20, only: undefined as 'roster' | 'etcd' | undefined };
  for (let i = 0; i < argv.length; i++) {
    const f = argv[i];
    const v = argv[++i];
    if (f === '--watchers') a.watchers = Number(v);
    else if (f === '--targets') a.targets = Number(v);
    else if (f === '--changes') a.changes = Number(v);
    else if (f === '--rate') a.rate = Number(v);
    else if (f === '--only' && (v === 'roster' || v === 'etcd')) a.only = v;
    else throw new Error('usage: npm run bench:watch -- [--watchers N] [--targets T] [--changes C] [--rate R] [--only roster|etcd]');
  }
  for (const k of ['watchers', 'targets', 'changes', 'rate'] as const) if (!(Number.isInteger(a[k]) && a[k] > 0)) throw new Error(`--${k} must be a positive whole number`);
  if (a.targets > a.watchers) throw new Error('--targets cannot exceed --watchers');
  return a;
}

async function run(label: string, start: () => Promise<Cluster>, body: (c: Cluster, p: ProgressBar) => Promise<WatchResult>): Promise<WatchResult> {
  const c = await start();
  const p = new ProgressBar(label);
  try {
    const r = await body(c, p);
    p.done(`p99 ${r.p99Ms.toFixed(1)} ms, ${Math.round(r.bytesPerWatcher)} B/watcher`);
    return r;
  } finally {
    await c.stop();
  }
}

const fmt = (n: number, d = 1): string => (Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }) : '-');

function table(rows: [string, WatchResult | undefined][], a: Args): string {
  const lines = [
    `${a.watchers.toLocaleString('en-US')} watchers over 3 servers, ${a.targets} targets, ${a.changes} changes at ${a.rate}/s (each change wakes ${Math.round(a.watchers / a.targets)} watchers)`,
    '',
    '| system | p50 ms | p99 ms | max ms | events delivered | server bytes per idle watcher | watchers created in |',
    '|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const [label, r] of rows) {
    if (r === undefined) continue;
    lines.push(`| ${label} | ${fmt(r.p50Ms)} | ${fmt(r.p99Ms)} | ${fmt(r.maxMs)} | ${r.delivered.toLocaleString('en-US')} / ${r.expected.toLocaleString('en-US')} | ${Math.round(r.bytesPerWatcher).toLocaleString('en-US')} | ${fmt(r.createSeconds)} s |`);
  }
  lines.push('', 'Targets: p99 <= 100 ms and <= etcd; <= 2,048 bytes of server memory per idle watcher.');
  return lines.join('\n');
}

async function main(): Promise<void> {
  const a = parse(process.argv.slice(2));
  const base = join(tmpdir(), `roster-bench-watch-${process.pid}`);
  const rows: [string, WatchResult | undefined][] = [];
  if (a.only !== 'etcd') {
    const built = spawnSync('npm', ['run', 'build', '--silent'], { cwd: resolve(import.meta.dirname, '../..'), stdio: 'inherit' });
    if (built.status !== 0) throw new Error('npm run build failed');
    rows.push(['Roster, registry watch (SDK)', await run('Roster: registry watches', () => startRoster(base), (c, p) => rosterNativeWatch(c, a, p))]);
    rows.push(['Roster, etcd Watch (etcd3 client)', await run('Roster: etcd watches', () => startRoster(base), (c, p) => etcdClientWatch(c, a, p))]);
  }
  if (a.only !== 'roster') {
    if (!etcdAvailable()) throw new Error('etcd is not installed: apt-get install etcd-server (Debian) to compare with etcd 3.4');
    rows.push(['etcd 3.4, etcd Watch (etcd3 client)', await run('etcd: watches', () => startEtcd(base), (c, p) => etcdClientWatch(c, a, p))]);
  }
  const text = table(rows, a);
  console.log(`\n${text}`);
  const dir = resolve(import.meta.dirname, '../../bench-results');
  mkdirSync(dir, { recursive: true });
  const record = { date: new Date().toISOString(), args: a, cpus: cpus().length, results: Object.fromEntries(rows), table: text };
  writeFileSync(join(dir, 'watch-latest.json'), `${JSON.stringify(record, null, 2)}\n`);
  console.log('results saved to bench-results/watch-latest.json');
}

main().catch((err: unknown) => {
  console.error(`bench:watch: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
