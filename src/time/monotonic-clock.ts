import type { Clock } from '../util/clock.js';

/**
 * The process's monotonic clock, for every timeout, back-off, interval and request deadline in
 * the drivers: wall time steps (NTP, an operator, a VM resumed) must neither stall a reconnect
 * nor expire a wait. Wall time (Date) is only for what people read and what records store, and
 * for deadlines handed to gRPC, whose API takes a Date (src/time/deadline.ts converts).
 */
export const monotonicClock: Clock = { now: () => performance.now() };
