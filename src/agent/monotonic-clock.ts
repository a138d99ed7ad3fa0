import type { Clock } from '../util/clock.js';

/**
 * The process's monotonic clock, for every timeout, back-off and interval in the drivers: wall
 * time steps (NTP, an operator, a VM resumed) must neither stall a reconnect nor expire a wait.
 * Wall time (Date) is only for what people read, and for deadlines handed to gRPC, whose API
 * takes a Date.
 */
export const monotonicClock: Clock = { now: () => performance.now() };
