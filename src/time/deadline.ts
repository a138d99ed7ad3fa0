import { monotonicClock } from './monotonic-clock.js';

/**
 * A request's deadline: a point on this process's monotonic clock (milliseconds of
 * monotonicClock). The brand makes the compiler refuse a wall-clock (`Date.now()`-based)
 * number where a deadline is expected: a wall clock stepped between computing a deadline and
 * waiting on it would expire the wait at once (a step forward) or hold it for the size of the
 * step (a step back). gRPC carries deadlines as wall time: they are converted once on arrival
 * (deadlineFromGrpc) and back at the moment of an outgoing call (toGrpcDeadline).
 */
export type Deadline = number & { readonly __clock: 'monotonic' };

/** The deadline `ms` milliseconds from now. */
export function deadlineIn(ms: number): Deadline {
  return (monotonicClock.now() + ms) as Deadline;
}

/** Milliseconds left until `deadline`, never negative. */
export function remainingMs(deadline: Deadline): number {
  return Math.max(0, deadline - monotonicClock.now());
}

/** Whether `deadline` has passed. */
export function isPast(deadline: Deadline): boolean {
  return monotonicClock.now() >= deadline;
}

/** The earlier of two deadlines. */
export function earlier(a: Deadline, b: Deadline): Deadline {
  return a <= b ? a : b;
}

/**
 * A deadline as grpc-js gives it (`call.getDeadline()`: a Date, or epoch milliseconds, Infinity
 * meaning none) on the monotonic clock; undefined when there is none. Read once, on arrival:
 * what is left of it is measured against the wall clock now and counted on the monotonic clock
 * from then on.
 */
export function deadlineFromGrpc(given: Date | number): Deadline | undefined {
  const wallMs = given instanceof Date ? given.getTime() : given;
  if (!Number.isFinite(wallMs)) return undefined;
  return (monotonicClock.now() + (wallMs - Date.now())) as Deadline;
}

/** `deadline` as the wall-clock Date grpc-js takes for an outgoing call: convert at the call. */
export function toGrpcDeadline(deadline: Deadline): Date {
  return new Date(Date.now() + remainingMs(deadline));
}
