import { describe, expect, it } from 'vitest';
import type { GetOp, Op, Outcome, PutOp } from '../nemesis/history.js';
import { checkLinearizable, formatFailure } from '../nemesis/linearizability.js';
import { seededRng, type Rng } from '../../src/util/rng.js';

const put = (client: number, value: string, invokeMs: number, returnMs: number, outcome: Outcome = 'ok', key = 'k'): PutOp => ({ kind: 'put', client, key, value, invokeMs, returnMs, outcome });
const get = (client: number, value: string | null, invokeMs: number, returnMs: number, outcome: Outcome = 'ok', key = 'k'): GetOp => ({ kind: 'get', client, key, value, invokeMs, returnMs, outcome });

describe('linearizability checker (register per key)', () => {
  it('accepts a sequential history and concurrent ops that some order explains', () => {
    expect(checkLinearizable([put(1, 'a', 0, 1), get(2, 'a', 2, 3), put(1, 'b', 4, 5), get(2, 'b', 6, 7)]).verdict).toBe('linearizable');
    // The get overlaps both puts: it may see either, or neither.
    for (const seen of ['a', 'b', null]) {
      expect(checkLinearizable([put(1, 'a', 0, 10), put(2, 'b', 1, 9), get(3, seen, 2, 8)]).verdict).toBe('linearizable');
    }
    // Reads ordered in real time must not go back to an older value.
    expect(checkLinearizable([put(1, 'a', 0, 1), put(2, 'b', 2, 20), get(3, 'b', 3, 4), get(3, 'a', 5, 6)]).verdict).toBe('not-linearizable');
    expect(checkLinearizable([put(1, 'a', 0, 1), put(2, 'b', 2, 20), get(3, 'a', 3, 4), get(3, 'b', 5, 6)]).verdict).toBe('linearizable');
  });

  it('flags a planted stale read and says which key and which read', () => {
    const history: Op[] = [put(1, 'a', 0, 1), put(1, 'b', 2, 3), get(2, 'a', 4, 5), put(1, 'x', 0, 1, 'ok', 'other'), get(2, 'x', 4, 5, 'ok', 'other')];
    const r = checkLinearizable(history);
    expect(r.verdict).toBe('not-linearizable');
    expect(r.keys).toBe(2);
    expect(r.failures).toHaveLength(1);
    const f = r.failures[0]!;
    expect(f.key).toBe('k');
    expect(f.stuck).toEqual(history[2]);
    expect(f.state).toBe('b');
    expect(formatFailure(f)).toContain('key "k": no linearization places client 2 get -> "a"');
  });

  it('flags a lost acknowledged write', () => {
    const r = checkLinearizable([put(1, 'a', 0, 1), get(2, null, 2, 3)]);
    expect(r.verdict).toBe('not-linearizable');
    expect(r.failures[0]!.stuck.kind).toBe('get');
    // A later write that is then lost (the read sees the earlier one) is flagged too.
    expect(checkLinearizable([put(1, 'a', 0, 1), put(1, 'b', 2, 3), get(2, 'a', 10, 11), get(2, 'a', 12, 13)]).verdict).toBe('not-linearizable');
  });

  it('flags a read of a value nobody wrote', () => {
    expect(checkLinearizable([put(1, 'a', 0, 1), get(2, 'z', 2, 3)]).verdict).toBe('not-linearizable');
  });

  it('lets an ambiguous write take effect late, or never, but not come and go', () => {
    // Taking effect long after the client gave up on it.
    expect(checkLinearizable([put(1, 'a', 0, 1, 'ambiguous'), get(2, null, 5, 6), get(2, 'a', 50, 51)]).verdict).toBe('linearizable');
    // Never taking effect.
    expect(checkLinearizable([put(1, 'a', 0, 1, 'ambiguous'), get(2, null, 5, 6), get(2, null, 50, 51)]).verdict).toBe('linearizable');
    // Once seen, it stays until overwritten.
    expect(checkLinearizable([put(1, 'a', 0, 1, 'ambiguous'), get(2, 'a', 5, 6), get(2, null, 50, 51)]).verdict).toBe('not-linearizable');
    // It cannot take effect before it was invoked.
    expect(checkLinearizable([get(2, 'a', 0, 1), put(1, 'a', 5, 6, 'ambiguous')]).verdict).toBe('not-linearizable');
    // An ambiguous put may land after a later acknowledged one.
    expect(checkLinearizable([put(1, 'a', 0, 1, 'ambiguous'), put(1, 'b', 2, 3), get(2, 'a', 5, 6)]).verdict).toBe('linearizable');
  });

  it('leaves out failed ops: a failed put must not be seen, a failed get says nothing', () => {
    expect(checkLinearizable([put(1, 'a', 0, 1, 'failed'), get(2, 'a', 5, 6)]).verdict).toBe('not-linearizable');
    expect(checkLinearizable([put(1, 'a', 0, 1), get(2, 'garbage', 5, 6, 'failed'), get(2, 'a', 7, 8)]).verdict).toBe('linearizable');
  });

  it('accepts a long random history produced by a sequential simulation with overlapping intervals, quickly', () => {
    const history = simulatedHistory(seededRng(7), 4000);
    const started = performance.now();
    const r = checkLinearizable(history, { budgetMs: 10_000 });
    const tookMs = performance.now() - started;
    expect(r.verdict).toBe('linearizable');
    expect(r.checkedOps).toBeGreaterThan(3000);
    expect(tookMs).toBeLessThan(10_000);
  });

  it('flags the same long history once one read is made stale', () => {
    const history = simulatedHistory(seededRng(11), 4000);
    // The read whose value was written by an acknowledged put, after which another acknowledged put
    // to the key returned before the read began: seeing the first value is stale.
    const puts = history.filter((o): o is PutOp => o.kind === 'put' && o.outcome === 'ok');
    const i = history.findIndex((o) => {
      if (o.kind !== 'get' || o.outcome !== 'ok') return false;
      const older = puts.filter((p) => p.key === o.key && p.returnMs < o.invokeMs);
      return older.length >= 2 && older.some((p) => p.value !== o.value && older.some((q) => q.invokeMs > p.returnMs && q.returnMs < o.invokeMs));
    });
    expect(i).toBeGreaterThanOrEqual(0);
    const read = history[i] as GetOp;
    const older = puts.filter((p) => p.key === read.key && p.returnMs < read.invokeMs);
    const stale = older.find((p) => older.some((q) => q.invokeMs > p.returnMs && q.returnMs < read.invokeMs))!;
    const planted = [...history];
    planted[i] = { ...read, value: stale.value };
    const r = checkLinearizable(planted, { budgetMs: 10_000 });
    expect(r.verdict).toBe('not-linearizable');
    expect(r.failures.map((f) => f.key)).toEqual([read.key]);
  });

  it('gives up with unknown when its time budget runs out', () => {
    let t = 0;
    const r = checkLinearizable(simulatedHistory(seededRng(3), 2000), { budgetMs: 1, now: () => t++ });
    expect(r.verdict).toBe('unknown');
    expect(r.unknownKeys.length).toBeGreaterThan(0);
  });
});

/**
 * A history that is linearizable by construction: each op takes effect at an instant inside its
 * interval, in that order, on a model register; clients' intervals overlap. Some puts end
 * ambiguous (the effect happened, the client never learned), some ops fail (no effect).
 */
function simulatedHistory(rng: Rng, count: number): Op[] {
  const keys = ['a', 'b', 'c', 'd'];
  const clients = 8;
  const freeAt = new Array<number>(clients).fill(0);
  const planned: { op: Omit<PutOp, 'value'> & { value: string | null }; at: number; applies: boolean }[] = [];
  for (let n = 0; n < count; n++) {
    const client = rng.int(clients);
    const invokeMs = freeAt[client]! + rng.next() * 3;
    const returnMs = invokeMs + 0.5 + rng.next() * 10;
    freeAt[client] = returnMs;
    const at = invokeMs + rng.next() * (returnMs - invokeMs);
    const key = keys[rng.int(keys.length)]!;
    const isPut = rng.next() < 0.5;
    const roll = rng.next();
    const outcome: Outcome = roll < 0.05 ? 'failed' : isPut && roll < 0.1 ? 'ambiguous' : 'ok';
    planned.push({ op: { kind: isPut ? 'put' : 'get', client, key, value: isPut ? `v${n}` : null, invokeMs, returnMs, outcome } as PutOp, at, applies: outcome !== 'failed' });
  }
  const register = new Map<string, string | null>();
  for (const p of [...planned].sort((x, y) => x.at - y.at)) {
    if (!p.applies) continue;
    if (p.op.kind === 'put') register.set(p.op.key, p.op.value);
    else p.op.value = register.get(p.op.key) ?? null;
  }
  return planned.map((p) => p.op as Op);
}
