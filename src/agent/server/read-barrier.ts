import { randomInt } from 'node:crypto';
import type { ReadState } from '../../raft/index.js';
import { RosterError } from '../../util/errors.js';
import type { LogIndex } from '../../util/ids.js';

interface PendingRead {
  readonly resolve: () => void;
  readonly reject: (err: Error) => void;
  readonly timer: NodeJS.Timeout;
  index: LogIndex | undefined;
}

/**
 * Linearizable reads without a log write (ReadIndex). A read asks the core for a read index;
 * once the leader has confirmed it (a heartbeat round), the read waits until the local state
 * machine has applied that index, then proceeds on the local state. Works on followers too.
 */
export class ReadBarrier {
  /**
   * Random start: a confirmation the leader queued for a previous process of this server must
   * not match a read of this one.
   */
  private nextId = 1 + randomInt(2 ** 47);
  private readonly pending = new Map<number, PendingRead>();
  private applied: LogIndex = 0;

  /** Registers a read; `ask` passes its request id to the core (RaftNode.readIndex). */
  start(timeoutMs: number, ask: (requestId: number) => RosterError | undefined): Promise<void> {
    const id = this.nextId++;
    const refused = ask(id);
    if (refused !== undefined) return Promise.reject(refused);
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new RosterError('UNAVAILABLE', 'etcdserver: request timed out waiting for the leader to confirm the read', { requestId: id }));
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer, index: undefined });
    });
  }

  /** The core confirmed reads. */
  confirmed(states: readonly ReadState[]): void {
    for (const rs of states) {
      const p = this.pending.get(rs.requestId);
      if (p === undefined) continue;
      p.index = rs.index;
      if (rs.index <= this.applied) this.finish(rs.requestId, p);
    }
  }

  /** The state machine applied up to `index`: reads waiting for it proceed. */
  appliedTo(index: LogIndex): void {
    this.applied = index;
    for (const [id, p] of this.pending) if (p.index !== undefined && p.index <= index) this.finish(id, p);
  }

  /** Resolves once the local state has applied `index` (no leader round: the caller knows the index). */
  waitApplied(index: LogIndex, timeoutMs: number): Promise<void> {
    if (index <= this.applied) return Promise.resolve();
    const id = this.nextId++;
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new RosterError('UNAVAILABLE', `etcdserver: timed out applying up to index ${index}`));
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer, index });
    });
  }

  failAll(err: Error): void {
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(err);
    }
    this.pending.clear();
  }

  private finish(id: number, p: PendingRead): void {
    this.pending.delete(id);
    clearTimeout(p.timer);
    p.resolve();
  }
}
