import type { PhaseResult } from './workloads.js';

export interface SystemResults {
  readonly system: 'roster' | 'etcd';
  puts: Record<number, PhaseResult>;
  gets: Partial<Record<'linearizable' | 'serializable', PhaseResult>>;
  failoverMs: number[];
  failoverMedianMs: number;
  rssMiB: number[];
  soak: { leaderChanges: number; result: PhaseResult } | undefined;
}

const fmt = (n: number | undefined, digits = 0): string => (n === undefined || !Number.isFinite(n) ? '-' : n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }));

/** The side-by-side table (Markdown), with the ratio and the target for each line. */
export function renderTable(results: readonly SystemResults[]): string {
  const r = results.find((x) => x.system === 'roster');
  const e = results.find((x) => x.system === 'etcd');
  const rows: [string, number | undefined, number | undefined, string, number][] = [];
  const add = (label: string, rv: number | undefined, ev: number | undefined, target: string, digits = 0): void => {
    rows.push([label, rv, ev, target, digits]);
  };
  for (const n of [1, 16, 64, 256]) add(`puts/s, ${n} in flight`, r?.puts[n]?.opsPerSec, e?.puts[n]?.opsPerSec, n >= 64 ? '>= 2x etcd' : '');
  for (const n of [1, 64, 256]) add(`put p99 ms, ${n} in flight`, r?.puts[n]?.p99Ms, e?.puts[n]?.p99Ms, n >= 64 ? '<= etcd' : '', 1);
  add('linearizable gets/s, 64', r?.gets.linearizable?.opsPerSec, e?.gets.linearizable?.opsPerSec, '');
  add('serializable gets/s, 64', r?.gets.serializable?.opsPerSec, e?.gets.serializable?.opsPerSec, '>= 2x etcd');
  add('failover, median ms (kill -9 leader)', r?.failoverMedianMs, e?.failoverMedianMs, '<= 1000');
  add('RSS MiB per server after 100k keys (max)', r === undefined ? undefined : Math.max(...r.rssMiB), e === undefined ? undefined : Math.max(...e.rssMiB), '<= etcd');
  if (r?.soak !== undefined || e?.soak !== undefined) add('leader changes during steady load', r?.soak?.leaderChanges, e?.soak?.leaderChanges, '0');
  const lines = ['| measure | Roster | etcd 3.4 | Roster / etcd | target |', '|---|---:|---:|---:|---|'];
  for (const [label, rv, ev, target, digits] of rows) {
    const ratio = rv !== undefined && ev !== undefined && ev > 0 && Number.isFinite(rv) && Number.isFinite(ev) ? `${(rv / ev).toFixed(2)}x` : '-';
    lines.push(`| ${label} | ${fmt(rv, digits)} | ${fmt(ev, digits)} | ${ratio} | ${target} |`);
  }
  const errors = results.map((x) => `${x.system}: ${Object.values(x.puts).reduce((n, p) => n + p.errors, 0)} put errors`).join(', ');
  lines.push('', `errors during the put phases: ${errors}`);
  return lines.join('\n');
}
