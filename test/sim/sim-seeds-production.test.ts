import { describe, expect, it } from 'vitest';
import { runSeedProduction } from './simulation.js';

/**
 * The production RaftDriver and LevelRaftStorage in the simulator, on disks that stall, fail
 * with EIO, fill up and lose power (`npm run sim -- --seeds N` runs many more).
 */
describe('simulator seeds 1-150 through the production driver, with disk faults', () => {
  for (let seed = 1; seed <= 150; seed++) {
    it(`seed ${seed}`, async () => {
      const r = await runSeedProduction(seed);
      if (!r.ok) {
        expect.fail(`seed ${seed} broke ${r.property}: ${r.message}\n${r.scenario}\n${r.trace}\nreplay: npm run sim -- --seed ${seed} --driver production --trace`);
      }
      expect(r.stats.leadersElected).toBeGreaterThan(0);
      expect(r.stats.finalCommit).toBeGreaterThan(1);
    });
  }

  it('replays a seed exactly: the same trace, event for event, and the same figures', async () => {
    // Seed 3 has disk-full episodes, EIO retries, snapshots and a membership change.
    const a = await runSeedProduction(3, { trace: true, overrides: { faultPhaseMs: 1500 } });
    const b = await runSeedProduction(3, { trace: true, overrides: { faultPhaseMs: 1500 } });
    expect(a.ok).toBe(true);
    expect(a.stats.diskFaultsSeen + a.stats.diskFullEpisodes).toBeGreaterThan(0);
    expect(b.stats).toEqual(a.stats);
    expect(b.simulatedMs).toBe(a.simulatedMs);
    // Every event, in order, with its time: the whole trace is the same.
    expect(a.trace?.split('\n').length).toBeGreaterThan(500);
    expect(b.trace).toBe(a.trace);
  });
});
