import { availableParallelism } from 'node:os';
import type { StageMeans } from './put-stages.js';
import type { PhaseResult } from './load-pool.js';

export interface SystemResults {
  readonly system: 'roster' | 'etcd';
  /** Roster with client and peer TLS (client certificates required); absent in older records. */
  readonly tls?: boolean;
  /** Roster with ACLs on (default deny, a token with one key_prefix rule); absent in older records. */
  readonly acl?: boolean;
  puts: Record<number, PhaseResult>;
  gets: Partial<Record<'linearizable' | 'serializable', PhaseResult>>;
  failoverMs: number[];
  failoverMedianMs: number;
  rssMiB: number[];
  soak: { leaderChanges: number; result: PhaseResult } | undefined;
  /** Roster without TLS: the leader's mean time per stage of a put (ms), by requests in flight. */
  putStages?: Record<number, StageMeans>;
}

/** How a system is named in the progress lines and the table. */
export function labelOf(r: { readonly system: 'roster' | 'etcd'; readonly tls?: boolean; readonly acl?: boolean }): string {
  if (r.system === 'etcd') return 'etcd 3.4';
  return r.tls === true ? 'Roster TLS' : r.acl === true ? 'Roster ACL' : 'Roster';
}

const fmt = (n: number | undefined, digits = 0): string => (n === undefined || !Number.isFinite(n) ? '-' : n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }));

const ratio = (a: number | undefined, b: number | undefined): string => (a !== undefined && b !== undefined && b > 0 && Number.isFinite(a) && Number.isFinite(b) ? `${(a / b).toFixed(2)}x` : '-');

type Measure = (x: SystemResults) => number | undefined;

/** Every line of the table: its label, how to read it from one system's results, its digits and target. */
function measures(results: readonly SystemResults[]): [string, Measure, number, string][] {
  const lines: [string, Measure, number, string][] = [];
  for (const n of [1, 16, 64, 256]) lines.push([`puts/s, ${n} in flight`, (x) => x.puts[n]?.opsPerSec, 0, '>= 1x etcd']);
  lines.push(['put p50 ms, 1 in flight', (x) => x.puts[1]?.p50Ms, 2, '<= etcd']);
  for (const n of [1, 64, 256]) lines.push([`put p99 ms, ${n} in flight`, (x) => x.puts[n]?.p99Ms, 1, n >= 64 ? '<= etcd' : '']);
  lines.push(['linearizable gets/s, 64', (x) => x.gets.linearizable?.opsPerSec, 0, '>= 1x etcd']);
  lines.push(['serializable gets/s, 64', (x) => x.gets.serializable?.opsPerSec, 0, '>= 1x etcd']);
  lines.push(['failover, median ms (kill -9 leader)', (x) => x.failoverMedianMs, 0, '<= 500']);
  lines.push(['RSS MiB per server after 100k keys (max)', (x) => Math.max(...x.rssMiB), 0, '<= 0.8x etcd']);
  if (results.some((x) => x.soak !== undefined)) lines.push(['leader changes during steady load', (x) => x.soak?.leaderChanges, 0, '0']);
  return lines;
}

/**
 * The side-by-side table (Markdown): Roster, Roster with TLS and the TLS / plain ratio, Roster with
 * ACLs and the ACL / plain ratio, etcd and
 * the Roster / etcd ratio (plain Roster: the comparison the targets are about), the target.
 */
export function renderTable(results: readonly SystemResults[]): string {
  const plain = results.find((x) => x.system === 'roster' && x.tls !== true && x.acl !== true);
  const tls = results.find((x) => x.system === 'roster' && x.tls === true);
  const acl = results.find((x) => x.system === 'roster' && x.acl === true);
  const etcd = results.find((x) => x.system === 'etcd');
  const lines = ['| measure | Roster | Roster TLS | TLS / plain | Roster ACL | ACL / plain | etcd 3.4 | Roster / etcd | target |', '|---|---:|---:|---:|---:|---:|---:|---:|---|'];
  for (const [label, read, digits, target] of measures(results)) {
    const [p, t, k, e] = [plain, tls, acl, etcd].map((x) => (x === undefined ? undefined : read(x)));
    lines.push(`| ${label} | ${fmt(p, digits)} | ${fmt(t, digits)} | ${ratio(t, p)} | ${fmt(k, digits)} | ${ratio(k, p)} | ${fmt(e, digits)} | ${ratio(p, e)} | ${target} |`);
  }
  const errors = results.map((x) => `${labelOf(x)}: ${Object.values(x.puts).reduce((n, ph) => n + ph.errors, 0)} put errors`).join(', ');
  lines.push('', `errors during the put phases: ${errors}`);
  return lines.join('\n');
}

/** The phases of the CPU table: their label and how to find them in one system's results. */
const PHASES: [string, (x: SystemResults) => PhaseResult | undefined][] = [
  ...[1, 16, 64, 256].map((n): [string, (x: SystemResults) => PhaseResult | undefined] => [`puts, ${n} in flight`, (x) => x.puts[n]]),
  ['linearizable gets, 64', (x) => x.gets.linearizable],
  ['serializable gets, 64', (x) => x.gets.serializable],
];

/**
 * Where the machine's CPU went in each phase, plain Roster beside etcd: the client's cores
 * (every load worker), the three servers' cores, and the servers' CPU per call, with a mark on
 * a figure bound by the client (its threads busy) or by the machine (its cores busy). On a
 * machine whose cores all run the client and the three servers, throughput is CPU per call.
 */
export function renderCpu(results: readonly SystemResults[]): string {
  const plain = results.find((x) => x.system === 'roster' && x.tls !== true && x.acl !== true);
  const etcd = results.find((x) => x.system === 'etcd');
  const cell = (ph: PhaseResult | undefined): string[] => {
    const c = ph?.cpu;
    if (c === undefined) return ['-', '-', '-', '-'];
    const bound = [c.clientBound ? 'client' : '', c.machineBound ? 'machine' : ''].filter((b) => b !== '').join(', ');
    return [fmt(c.clientCores, 2), fmt(c.serverCores, 2), fmt(c.serverMsPerOp, 2), bound === '' ? 'no' : bound];
  };
  const lines = [
    '| phase | Roster client cores | Roster servers cores | Roster server CPU ms/call | Roster bound by | etcd client cores | etcd servers cores | etcd server CPU ms/call | etcd bound by | CPU/call Roster / etcd |',
    '|---|---:|---:|---:|---|---:|---:|---:|---|---:|',
  ];
  for (const [label, find] of PHASES) {
    const [p, e] = [plain, etcd].map((x) => (x === undefined ? undefined : find(x)));
    lines.push(`| ${label} | ${[...cell(p), ...cell(e)].join(' | ')} | ${ratio(p?.cpu?.serverMsPerOp, e?.cpu?.serverMsPerOp)} |`);
  }
  const workers = [plain, etcd].map((x) => x?.puts[256]?.cpu?.workers).find((w) => w !== undefined);
  lines.push('', `load workers: ${workers ?? '-'} threads (one etcd3 client each); cores on this machine: ${availableParallelism()}`);
  return lines.join('\n');
}

/**
 * Where a put's time goes on Roster's leader, by requests in flight (means, ms): the client's
 * p50 beside the server's whole Put call and the write's stages (put-stages.ts). Empty when
 * no Roster run without TLS measured them.
 */
export function renderStages(results: readonly SystemResults[]): string {
  const plain = results.find((x) => x.system === 'roster' && x.tls !== true && x.acl !== true && x.putStages !== undefined);
  if (plain?.putStages === undefined) return '';
  const lines = ['| in flight | client p50 | server Put | queue | persist (fsync) | replicate | apply | leader total |', '|---:|---:|---:|---:|---:|---:|---:|---:|'];
  for (const [inflight, s] of Object.entries(plain.putStages)) {
    const p = plain.puts[Number(inflight)];
    lines.push(`| ${inflight} | ${fmt(p?.p50Ms, 2)} | ${fmt(s.api, 2)} | ${fmt(s.queue, 2)} | ${fmt(s.persist, 2)} | ${fmt(s.replicate, 2)} | ${fmt(s.apply, 2)} | ${fmt(s.total, 2)} |`);
  }
  return lines.join('\n');
}
