import { expect, it } from 'vitest';
import { runSeed } from './simulation.js';

/**
 * Registers one test per seed: a failure names the seed, the broken property, the scenario and
 * the trace tail, and `npm run sim -- --seed N --trace` replays it.
 */
export function sweepSeeds(start: number, count: number): void {
  for (let seed = start; seed < start + count; seed++) {
    it(`seed ${seed}`, () => {
      const r = runSeed(seed);
      if (!r.ok) {
        expect.fail(`seed ${seed} broke ${r.property}: ${r.message}\n${r.scenario}\n${r.trace}\nreplay: npm run sim -- --seed ${seed} --trace`);
      }
      // Every run must exercise the cluster, not pass vacuously.
      expect(r.stats.leadersElected).toBeGreaterThan(0);
      expect(r.stats.finalCommit).toBeGreaterThan(1);
    });
  }
}
