import { describe, expect, it } from 'vitest';
import { LOAD_META, LoadMeter, loadChanged, loadMeta, loadOf } from '../../src/client/load-meter.js';
import { LeastLoadedSelector } from '../../src/client/selectors.js';
import type { Instance } from '../../src/client/types.js';
import { seededRng } from '../../src/util/rng.js';

const NOW = 1_800_000_000_000;
const rngOf = (seed: number): (() => number) => {
  const rng = seededRng(seed);
  return () => rng.next();
};

function inst(id: string, meta: Record<string, string> = {}): Instance {
  return { key: `n/${id}`, id, name: 'svc', node: 'n', address: '127.0.0.1', port: 1, tags: [], meta, weights: { passing: 1, warning: 1 }, status: 'passing', checks: [], modifyRevision: 1 };
}
const loaded = (id: string, inflight: number, p99Ms: number, at = NOW): Instance => inst(id, loadMeta({ inflight, rps: 10, p99Ms }, at));

describe('load reporting', () => {
  it('the meter counts calls in flight, calls per second and the p99 of the window; an idle window reads unloaded', () => {
    let t = 0;
    const m = new LoadMeter({ windowMs: 10_000, now: () => t });
    const open = m.begin();
    for (let i = 0; i < 100; i++) {
      const end = m.begin();
      t += i === 99 ? 500 : 10; // the 100th call is slow
      end();
      end(); // a second end is ignored
    }
    expect(m.figures()).toMatchObject({ inflight: 1, p99Ms: 10 });
    // 100 calls ended between t=10 and t=1490 ms.
    expect(m.figures().rps).toBeCloseTo(100 / 1.48, 1);
    open();
    expect(m.figures().inflight).toBe(0);
    t += 20_000;
    expect(m.figures()).toEqual({ inflight: 0, rps: 0, p99Ms: 0 });
  });

  it('keeps constant memory: only the latest samples', () => {
    let t = 0;
    const m = new LoadMeter({ maxSamples: 10, now: () => t });
    for (let i = 0; i < 1000; i++) {
      const end = m.begin();
      t += i < 990 ? 100 : 1;
      end();
    }
    expect(m.figures().p99Ms).toBe(1);
  });

  it('a report goes out only when a figure moved by more than the share; meta round-trips, garbage reads as none', () => {
    const a = { inflight: 3, rps: 100, p99Ms: 20 };
    expect(loadChanged(a, { ...a, rps: 110 }, 0.2)).toBe(false);
    expect(loadChanged(a, { ...a, rps: 130 }, 0.2)).toBe(true);
    expect(loadChanged({ ...a, inflight: 0 }, { ...a, inflight: 1 }, 0.2)).toBe(false);
    expect(loadChanged(a, { ...a, p99Ms: 40 }, 0.2)).toBe(true);
    expect(loadOf(loadMeta(a, NOW))).toEqual({ ...a, atUnixMs: NOW });
    expect(loadOf({ [LOAD_META.inflight]: 'x', [LOAD_META.rps]: '1', [LOAD_META.p99Ms]: '1', [LOAD_META.at]: '1' })).toBeUndefined();
    expect(loadOf({})).toBeUndefined();
  });
});

describe('the least-loaded selector', () => {
  it('of two drawn at random, takes the one with the lower expected wait: a slow instance is avoided', () => {
    const s = new LeastLoadedSelector(rngOf(1), 30_000, () => NOW);
    const list = [loaded('fast-1', 1, 5), loaded('fast-2', 1, 6), loaded('fast-3', 0, 5), loaded('slow', 1, 500)];
    const picks = new Map<string, number>();
    for (let i = 0; i < 1000; i++) {
      const id = s.pick(list)!.id;
      picks.set(id, (picks.get(id) ?? 0) + 1);
    }
    expect(picks.get('slow') ?? 0).toBe(0);
    // No herd: every fast instance gets a share.
    for (const id of ['fast-1', 'fast-2', 'fast-3']) expect(picks.get(id) ?? 0).toBeGreaterThan(100);
  });

  it('falls back to round-robin over all when fewer than two report current figures', () => {
    const s = new LeastLoadedSelector(rngOf(2), 30_000, () => NOW);
    const stale = [loaded('a', 0, 1, NOW - 60_000), loaded('b', 0, 1), inst('c')];
    expect([0, 1, 2, 3].map(() => s.pick(stale)!.id)).toEqual(['a', 'b', 'c', 'a']);
    expect(s.pick([])).toBeUndefined();
  });
});
