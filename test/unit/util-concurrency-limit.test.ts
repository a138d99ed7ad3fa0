import { describe, expect, it } from 'vitest';
import { ConcurrencyLimit } from '../../src/util/concurrency-limit.js';

describe('ConcurrencyLimit', () => {
  it('runs at most atOnce together, queues up to queued, refuses the rest with RESOURCE_EXHAUSTED', async () => {
    const limit = new ConcurrencyLimit(2, 3, 'busy');
    let running = 0;
    let most = 0;
    const release: (() => void)[] = [];
    const task = (): Promise<number> =>
      limit.run(async () => {
        running++;
        most = Math.max(most, running);
        await new Promise<void>((r) => release.push(r));
        running--;
        return 1;
      });
    const accepted = Array.from({ length: 5 }, task);
    await expect(task()).rejects.toMatchObject({ code: 'RESOURCE_EXHAUSTED', message: 'busy' });
    // Let each running task finish in turn; the queued ones take the freed slots.
    while (release.length > 0 || running > 0) {
      release.shift()?.();
      await new Promise((r) => setTimeout(r, 0));
    }
    expect(await Promise.all(accepted)).toEqual([1, 1, 1, 1, 1]);
    expect(most).toBe(2);
    // Slots are all free again: a failing task does not leak one.
    await expect(limit.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(Promise.all([limit.run(() => Promise.resolve(2)), limit.run(() => Promise.resolve(3))])).resolves.toEqual([2, 3]);
  });
});
