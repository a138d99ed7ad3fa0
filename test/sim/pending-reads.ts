import type { ReadState } from '../../src/raft/index.js';

/**
 * Confirmed reads (ReadIndex) waiting for the state machine to reach their index, as a server
 * holds them: each is served once the applied index reaches it. Both simulated drivers use it.
 */
export class PendingReads {
  private waiting: ReadState[] = [];

  add(states: readonly ReadState[]): void {
    this.waiting.push(...states);
  }

  /** Serves every read the state at `applied` answers; keeps the rest. */
  serve(applied: number, served: (rs: ReadState) => void): void {
    if (this.waiting.length === 0) return;
    const still: ReadState[] = [];
    for (const rs of this.waiting) {
      if (rs.index <= applied) served(rs);
      else still.push(rs);
    }
    this.waiting = still;
  }

  /** A crash or restart: reads in flight are lost (their clients time out). */
  clear(): void {
    this.waiting = [];
  }
}
