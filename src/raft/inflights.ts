import { invariant } from '../util/assert.js';
import type { LogIndex } from '../util/ids.js';

/**
 * The append messages sent to one follower and not yet acknowledged, as a ring buffer of their
 * last indexes. It bounds the pipeline: when `full()`, the leader stops sending until an
 * acknowledgement frees a slot.
 */
export class Inflights {
  private readonly buffer: LogIndex[];
  private start = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    invariant(capacity > 0, 'inflight capacity must be positive');
    this.buffer = new Array<LogIndex>(capacity).fill(0);
  }

  /** Records a sent append whose last entry is `lastIndex` (sent in increasing order). */
  add(lastIndex: LogIndex): void {
    invariant(!this.full(), 'add to full inflights');
    this.buffer[(this.start + this.count) % this.capacity] = lastIndex;
    this.count++;
  }

  /** Frees every in-flight append whose last index is <= `index` (acknowledged in one go). */
  freeLE(index: LogIndex): void {
    while (this.count > 0 && this.buffer[this.start]! <= index) {
      this.start = (this.start + 1) % this.capacity;
      this.count--;
    }
  }

  /** Frees the oldest in-flight append (its acknowledgement is presumed lost). */
  freeFirstOne(): void {
    if (this.count === 0) return;
    this.start = (this.start + 1) % this.capacity;
    this.count--;
  }

  full(): boolean {
    return this.count === this.capacity;
  }

  size(): number {
    return this.count;
  }

  reset(): void {
    this.start = 0;
    this.count = 0;
  }
}
