import type { FaultRecord } from './faults.js';
import type { Op } from './history.js';
import type { CheckResult } from './linearizability.js';
import type { ReadMode } from './workload.js';

export interface SummaryInput {
  readonly servers: number;
  readonly seconds: number;
  readonly reads: ReadMode;
  readonly seed: number;
  readonly history: readonly Op[];
  readonly faults: readonly FaultRecord[];
  readonly check: CheckResult;
  readonly checkMs: number;
  readonly partitionsUnavailable: string | undefined;
  readonly historyFile: string | undefined;
}

/** The few lines a run prints at the end. */
export function formatSummary(s: SummaryInput): string {
  const count = (kind: Op['kind'], outcome?: Op['outcome']): number => s.history.filter((o) => o.kind === kind && (outcome === undefined || o.outcome === outcome)).length;
  const byFault = new Map<string, number>();
  for (const f of s.faults) byFault.set(f.kind, (byFault.get(f.kind) ?? 0) + 1);
  const faultText = [...byFault].map(([k, n]) => `${k} ${n}`).join(', ');
  const lines = [
    `nemesis: ${s.servers} servers, ${s.seconds} s, ${s.reads} reads, seed ${s.seed}`,
    `  ops: ${s.history.length} (puts ${count('put')}: ok ${count('put', 'ok')}, ambiguous ${count('put', 'ambiguous')}; gets ${count('get')}: ok ${count('get', 'ok')}, failed ${count('get', 'failed')})`,
    `  faults: ${s.faults.length}${faultText === '' ? '' : ` (${faultText})`}${s.partitionsUnavailable === undefined ? '' : `; no partitions: ${s.partitionsUnavailable}`}`,
    `  checker: ${s.check.keys} keys, ${s.check.checkedOps} ops considered, ${Math.round(s.checkMs)} ms: ${s.check.verdict}`,
  ];
  if (s.check.unknownKeys.length > 0) lines.push(`  search budget ran out on: ${s.check.unknownKeys.join(', ')}`);
  if (s.check.failures.length > 0) lines.push(`  not linearizable on: ${s.check.failures.map((f) => f.key).join(', ')}`);
  if (s.historyFile !== undefined) lines.push(`  history written to ${s.historyFile}`);
  return lines.join('\n');
}
