/**
 * Time, injected. The cores never read the clock: drivers read a Clock and turn elapsed time into
 * ticks, so the simulator can substitute simulated time.
 */
export interface Clock {
  /** Milliseconds on a monotonic clock (not wall time). */
  now(): number;
}

