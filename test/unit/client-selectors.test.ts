import { describe, expect, it } from 'vitest';
import { invokeOn } from '../../src/client/invoke.js';
import { ConsistentHashSelector, RandomSelector, RoundRobinSelector, WeightedSelector } from '../../src/client/selectors.js';
import type { HealthStatus, Instance } from '../../src/client/types.js';
import { seededRng } from '../../src/util/rng.js';

function inst(id: string, fields: { status?: HealthStatus; passing?: number; warning?: number } = {}): Instance {
  return {
    key: `n/${id}`,
    id,
    name: 'svc',
    node: 'n',
    address: '127.0.0.1',
    port: 1,
    tags: [],
    meta: {},
    weights: { passing: fields.passing ?? 1, warning: fields.warning ?? 1 },
    status: fields.status ?? 'passing',
    checks: [],
    modifyRevision: 1,
  };
}

const count = (picks: (Instance | undefined)[]): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const p of picks) if (p !== undefined) out[p.id] = (out[p.id] ?? 0) + 1;
  return out;
};

describe('selectors', () => {
  const three = [inst('a'), inst('b'), inst('c')];

  it('round-robin cycles through the instances in order', () => {
    const s = new RoundRobinSelector();
    expect(Array.from({ length: 7 }, () => s.pick(three)?.id)).toEqual(['a', 'b', 'c', 'a', 'b', 'c', 'a']);
    expect(s.pick([])).toBeUndefined();
  });

  it('random spreads picks over every instance (seeded)', () => {
    const rng = seededRng(3);
    const s = new RandomSelector(() => rng.next());
    const c = count(Array.from({ length: 3000 }, () => s.pick(three)));
    for (const id of ['a', 'b', 'c']) expect(c[id]).toBeGreaterThan(850);
  });

  it('weighted follows Consul weights: passing weight when passing, warning weight when warning, interleaved', () => {
    const s = new WeightedSelector();
    const set = [inst('heavy', { passing: 3 }), inst('light'), inst('warned', { status: 'warning', passing: 10, warning: 0 })];
    const picks = Array.from({ length: 8 }, () => s.pick(set)?.id);
    expect(count(picks.map((id) => set.find((x) => x.id === id)))).toEqual({ heavy: 6, light: 2 });
    expect(picks.slice(0, 4)).toEqual(['heavy', 'heavy', 'light', 'heavy']); // smooth, not bunched
  });

  it('consistent-hash keeps a key on its instance and moves few keys when one goes', () => {
    const s = new ConsistentHashSelector();
    const five = ['a', 'b', 'c', 'd', 'e'].map((id) => inst(id));
    const keys = Array.from({ length: 500 }, (_, i) => `user-${i}`);
    const before = keys.map((k) => s.pick(five, k)!.id);
    expect(keys.map((k) => s.pick(five, k)!.id)).toEqual(before);
    const four = five.filter((i) => i.id !== 'c');
    const after = keys.map((k) => s.pick(four, k)!.id);
    const moved = keys.filter((_, i) => before[i] !== after[i]);
    // Only the keys that were on c move.
    expect(moved.length).toBe(before.filter((id) => id === 'c').length);
    expect(Object.keys(count(before.map((id) => five.find((x) => x.id === id))))).toHaveLength(5);
    expect(() => s.pick(five)).toThrow(/needs a key/);
  });
});

describe('fail modes', () => {
  const three = [inst('a'), inst('b'), inst('c')];
  const failing =
    (bad: Set<string>, log: string[]) =>
    async (i: Instance): Promise<string> => {
      log.push(i.id);
      if (bad.has(i.id)) throw new Error(`${i.id} down`);
      return i.id;
    };

  it('fail-fast reports the first failure', async () => {
    const log: string[] = [];
    await expect(invokeOn(three, failing(new Set(['a']), log), { selector: new RoundRobinSelector(), failMode: 'fail-fast' })).rejects.toThrow('a down');
    expect(log).toEqual(['a']);
  });

  it('fail-over moves to other instances, never the same one twice', async () => {
    const log: string[] = [];
    expect(await invokeOn(three, failing(new Set(['a', 'b']), log), { selector: new RoundRobinSelector(), failMode: 'fail-over', retries: 2 })).toBe('c');
    expect(log[0]).toBe('a');
    expect(new Set(log).size).toBe(log.length);
    const all: string[] = [];
    await expect(invokeOn(three, failing(new Set(['a', 'b', 'c']), all), { selector: new RoundRobinSelector(), failMode: 'fail-over', retries: 5 })).rejects.toThrow(/down/);
    expect([...all].sort()).toEqual(['a', 'b', 'c']);
  });

  it('fail-try retries the same instance', async () => {
    const log: string[] = [];
    let calls = 0;
    const flaky = async (i: Instance): Promise<string> => {
      log.push(i.id);
      if (++calls < 3) throw new Error('blip');
      return i.id;
    };
    expect(await invokeOn(three, flaky, { selector: new RoundRobinSelector(), failMode: 'fail-try', retries: 2 })).toBe('a');
    expect(log).toEqual(['a', 'a', 'a']);
  });

  it('fails with NO_INSTANCE when there is nobody to call', async () => {
    await expect(invokeOn([], async () => 1, { selector: new RoundRobinSelector() })).rejects.toMatchObject({ code: 'NO_INSTANCE' });
  });
});
