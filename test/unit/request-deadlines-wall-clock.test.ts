import { afterEach, describe, expect, it, vi } from 'vitest';
import { ReadBarrier } from '../../src/server/read-barrier.js';
import { RequestTracker } from '../../src/server/request-tracker.js';
import { deadlineFromGrpc, deadlineIn, remainingMs, toGrpcDeadline, type Deadline } from '../../src/time/deadline.js';
import { isRosterError, RosterError } from '../../src/util/errors.js';

const STEP_MS = 10 * 60_000;
const WAIT_MS = 300;
/** Room for a loaded machine, far below the 10-minute step. */
const LATE_MS = 2500;

/** Steps the wall clock (Date.now) by `stepMs` from now on; performance.now stays real. */
function stepWallClock(stepMs: number): void {
  const real = Date.now.bind(Date);
  vi.spyOn(Date, 'now').mockImplementation(() => real() + stepMs);
}

/**
 * How long (monotonic ms) `wait` took to fail with `code`; fails the test if it has not settled
 * by LATE_MS (a wait held for the size of a step back would take 10 minutes).
 */
async function failsAfter(wait: Promise<unknown>, code: string): Promise<number> {
  const began = performance.now();
  let watchdog: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    wait.then(
      () => 'resolved',
      (err: unknown) => (isRosterError(err) ? err.code : String(err)),
    ),
    new Promise<string>((r) => (watchdog = setTimeout(() => r('still waiting'), LATE_MS))),
  ]);
  clearTimeout(watchdog);
  expect(outcome).toBe(code);
  return performance.now() - began;
}

const asker = { ask: () => true, unconfirmed: () => new RosterError('UNAVAILABLE', 'unconfirmed') };

/**
 * A request's deadline is on the monotonic clock: a wall clock stepped by minutes between the
 * request's arrival (its deadline computed) and its wait neither expires the wait at once (a
 * step forward) nor holds it for the size of the step (a step back).
 */
describe('request deadlines on the monotonic clock, whatever the wall clock does', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  for (const stepMs of [-STEP_MS, STEP_MS]) {
    const how = stepMs > 0 ? 'forward' : 'back';

    it(`a proposal waiting by its index (RequestTracker) times out at its deadline, with the wall clock stepped ${how} 10 minutes`, async () => {
      const deadline = deadlineIn(WAIT_MS);
      stepWallClock(stepMs);
      const elapsed = await failsAfter(new RequestTracker<string>().waitAt(1, 1, deadline), 'TIMEOUT');
      expect(elapsed).toBeGreaterThanOrEqual(WAIT_MS - 20);
    });

    it(`a write waiting for its request id (RequestTracker) times out at its deadline, with the wall clock stepped ${how} 10 minutes`, async () => {
      const deadline = deadlineIn(WAIT_MS);
      stepWallClock(stepMs);
      const elapsed = await failsAfter(new RequestTracker<string>().wait(new Uint8Array([1]), deadline, false), 'TIMEOUT');
      expect(elapsed).toBeGreaterThanOrEqual(WAIT_MS - 20);
    });

    it(`a proposal applied before its deadline still succeeds, with the wall clock stepped ${how} 10 minutes`, async () => {
      const t = new RequestTracker<string>();
      const deadline = deadlineIn(WAIT_MS);
      stepWallClock(stepMs);
      const p = t.waitAt(4, 2, deadline);
      await new Promise((r) => setTimeout(r, WAIT_MS / 3));
      t.applied(4, 2, undefined, () => 'done');
      await expect(p).resolves.toBe('done');
    });

    it(`a confirmed read (ReadBarrier) waiting for its index times out at its deadline, with the wall clock stepped ${how} 10 minutes`, async () => {
      const b = new ReadBarrier(10_000, asker);
      const deadline = deadlineIn(WAIT_MS);
      stepWallClock(stepMs);
      const elapsed = await failsAfter(b.waitApplied(5, deadline), 'UNAVAILABLE');
      expect(elapsed).toBeGreaterThanOrEqual(WAIT_MS - 20);
    });

    it(`a read no leader confirms (ReadBarrier) times out at its deadline, with the wall clock stepped ${how} 10 minutes`, async () => {
      const b = new ReadBarrier(10_000, asker);
      const deadline = deadlineIn(WAIT_MS);
      stepWallClock(stepMs);
      const elapsed = await failsAfter(b.start(deadline), 'UNAVAILABLE');
      expect(elapsed).toBeGreaterThanOrEqual(WAIT_MS - 20);
      expect(b.size).toBe(0);
    });

    it(`a gRPC deadline converted on arrival keeps its remaining time, and converts back to the stepped wall clock, with the wall clock stepped ${how} 10 minutes`, () => {
      const deadline = deadlineFromGrpc(new Date(Date.now() + 5000)) as Deadline;
      const asNumber = deadlineFromGrpc(Date.now() + 5000) as Deadline;
      stepWallClock(stepMs);
      for (const d of [deadline, asNumber]) {
        expect(remainingMs(d)).toBeGreaterThan(4900);
        expect(remainingMs(d)).toBeLessThanOrEqual(5000);
        // Outgoing, it is what is left of it on the (stepped) wall clock gRPC will compare with.
        const out = toGrpcDeadline(d).getTime() - Date.now();
        expect(out).toBeGreaterThan(4900);
        expect(out).toBeLessThanOrEqual(5000);
      }
    });

    it(`a gRPC deadline that arrives with the wall clock already stepped ${how} is counted from its arrival`, () => {
      stepWallClock(stepMs);
      const d = deadlineFromGrpc(new Date(Date.now() + 2000)) as Deadline;
      expect(remainingMs(d)).toBeGreaterThan(1900);
      expect(remainingMs(d)).toBeLessThanOrEqual(2000);
    });
  }

  it('no deadline from gRPC (Infinity) is none; a past one has nothing left', () => {
    expect(deadlineFromGrpc(Infinity)).toBeUndefined();
    const past = deadlineFromGrpc(new Date(Date.now() - 1000)) as Deadline;
    expect(remainingMs(past)).toBe(0);
    expect(toGrpcDeadline(past).getTime()).toBeLessThanOrEqual(Date.now());
  });
});
