import type { Rng } from '../../../src/util/rng.js';
import type { Scenario } from '../scenario.js';
import type { DiskProfile } from './sim-disk.js';

/**
 * The disk faults of a production-driver run, drawn from their own random stream (so the model
 * runs of the same seed keep their schedule). Faults happen only in the fault phase.
 */
export interface DiskFaults extends DiskProfile {
  /** Mean time between disk-full episodes on a random server (0: never). */
  readonly fullEveryMs: number;
  readonly fullMaxMs: number;
}

export function diskFaultsFor(s: Scenario, rng: Rng): DiskFaults {
  const calm = s.profile === 'calm';
  return {
    minMs: s.diskMinMs,
    maxMs: s.diskMaxMs,
    spikeRate: calm ? 0 : rng.pick([0, 0.002, 0.01, 0.03]),
    spikeMaxMs: rng.pick([1000, 3000]),
    eioRate: calm ? 0 : rng.pick([0, 0.002, 0.01, 0.05]),
    fullEveryMs: calm ? 0 : rng.pick([0, 0, 700, 2000]),
    fullMaxMs: rng.pick([300, 1000]),
  };
}

export function describeDiskFaults(f: DiskFaults): string {
  return `disk-spikes=${f.spikeRate}(<=${f.spikeMaxMs}ms) eio=${f.eioRate} full/${f.fullEveryMs}ms(<=${f.fullMaxMs}ms)`;
}
