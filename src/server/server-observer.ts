import type { WriteStage } from './write-stages.js';

/** What a server tells its metrics as it happens. */
export interface ServerObserver {
  persisted(ms: number, synced: boolean): void;
  leaderChanged(): void;
  /** A snapshot file just written (to send to a follower, or to save) did not verify. */
  snapshotRefused(purpose: 'send' | 'save'): void;
  /** An InstallSnapshot to `peer` failed (the transport backs off before the next). */
  snapshotFailed(peer: string): void;
  diskFault(op: string, code: string): void; // a Raft log write failed (EIO, ENOSPC, ...): it is retried
  /** How long a write proposed here as leader spent in one stage (write-stages.ts), in ms. */
  writeStage(stage: WriteStage, ms: number): void;
}
