/**
 * Where a put's time goes on a Roster leader, from its /metrics: roster_put_stage_seconds (the
 * write-stage trace, src/server/write-stages.ts) and the API's own Put time, read before and
 * after a phase so the figures are that phase's alone (means, in ms).
 */
import type { WriteStage } from '../../src/server/write-stages.js';

export const STAGES: readonly WriteStage[] = ['queue', 'persist', 'replicate', 'apply', 'total'];

/** Sums and counts of each stage, and of the server's Put calls. */
export interface StageCounters {
  readonly sums: Record<string, number>;
  readonly counts: Record<string, number>;
}

/** Means per stage (ms) between two reads; `api` is the server's whole Put call. */
export type StageMeans = Partial<Record<WriteStage | 'api', number>>;

const API_PUT = 'etcdserverpb.KV/Put';

export async function readStageCounters(httpAddr: string): Promise<StageCounters> {
  const text = await (await fetch(`http://${httpAddr}/metrics`)).text();
  const sums: Record<string, number> = {};
  const counts: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const stage = /^roster_put_stage_seconds_(sum|count)\{stage="(\w+)"\} (\S+)$/.exec(line);
    if (stage !== null) (stage[1] === 'sum' ? sums : counts)[stage[2]!] = Number(stage[3]);
    const api = /^roster_api_request_seconds_(sum|count)\{method="([^"]+)"\} (\S+)$/.exec(line);
    if (api !== null && api[2] === API_PUT) (api[1] === 'sum' ? sums : counts).api = Number(api[3]);
  }
  return { sums, counts };
}

export function stageMeans(before: StageCounters, after: StageCounters): StageMeans {
  const out: StageMeans = {};
  for (const k of [...STAGES, 'api'] as const) {
    const n = (after.counts[k] ?? 0) - (before.counts[k] ?? 0);
    if (n > 0) out[k] = (((after.sums[k] ?? 0) - (before.sums[k] ?? 0)) / n) * 1000;
  }
  return out;
}
