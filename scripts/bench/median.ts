/**
 * npm run bench:median -- FILE.json FILE.json FILE.json
 *
 * The median of several `npm run bench` runs (their JSON records in bench-results/), measure by
 * measure, printed as the same tables: the benchmark's figures move with whatever else the
 * shared machine runs, and the targets are about medians of three runs.
 */
import { readFileSync } from 'node:fs';
import type { PhaseResult } from './load-pool.js';
import { renderCpu, renderStages, renderTable, type SystemResults } from './report.js';

interface Run {
  readonly date: string;
  readonly loadAverage: readonly number[];
  readonly results: readonly SystemResults[];
}

function median(xs: readonly number[]): number {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  return s.length % 2 === 1 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

/** Every numeric field the median of the same field in `xs` (nested objects alike; arrays of numbers element by element). */
function medianOf<T>(xs: readonly T[]): T {
  const first = xs[0] as unknown;
  if (typeof first === 'number') return median(xs as unknown as number[]) as unknown as T;
  if (Array.isArray(first)) return first.map((_, i) => medianOf(xs.map((x) => (x as unknown as unknown[])[i]))) as unknown as T;
  if (first === null || typeof first !== 'object') return first as T;
  const out: Record<string, unknown> = {};
  for (const k of new Set(xs.flatMap((x) => (x !== null && typeof x === 'object' ? Object.keys(x) : [])))) {
    const present = xs.map((x) => (x as Record<string, unknown>)[k]).filter((v) => v !== undefined);
    out[k] = present.length === 0 ? undefined : typeof present[0] === 'boolean' ? present[Math.floor(present.length / 2)] : medianOf(present);
  }
  return out as T;
}

function key(r: SystemResults): string {
  return `${r.system}/${r.tls === true ? 'tls' : r.acl === true ? 'acl' : 'plain'}`;
}

function main(): void {
  const files = process.argv.slice(2);
  if (files.length === 0) throw new Error('usage: npm run bench:median -- FILE.json [FILE.json ...] (records of npm run bench, in bench-results/)');
  const runs = files.map((f) => JSON.parse(readFileSync(f, 'utf8')) as Run);
  const systems = [...new Set(runs.flatMap((r) => r.results.map(key)))];
  const merged = systems.map((k) => {
    const of = runs.map((r) => r.results.find((x) => key(x) === k)).filter((x): x is SystemResults => x !== undefined);
    const m = medianOf(of);
    // Identity fields are not figures: taken from the first run as they are.
    return { ...m, system: of[0]!.system, tls: of[0]!.tls, acl: of[0]!.acl, puts: medianOf<Record<number, PhaseResult>>(of.map((x) => x.puts)) };
  });
  console.log(`Medians of ${runs.length} runs (${runs.map((r) => `${r.date}, load ${r.loadAverage[0]?.toFixed(1)}`).join('; ')}):\n`);
  console.log(renderTable(merged));
  console.log(`\nWhere the CPU went (cores busy; the servers' CPU per call):\n${renderCpu(merged)}`);
  const stages = renderStages(merged);
  if (stages !== '') console.log(`\nWhere a Roster put's time goes on its leader (means, ms):\n${stages}`);
}

main();
