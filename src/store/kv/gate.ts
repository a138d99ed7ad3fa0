/**
 * Readers share, a writer excludes: reads run alongside each other and alongside an apply's
 * computation (which only reads), but never across the moment the apply's write lands, so a
 * read never mixes data from before and after one batch. Waiting writers go first, so a stream
 * of reads cannot starve the apply loop.
 */
export class ReadWriteGate {
  private readers = 0;
  private writing = false;
  private readonly queue: { readonly kind: 'read' | 'write'; readonly resume: () => void }[] = [];
  /** Set by break(): every read and write from then on fails with it. */
  private failure: Error | undefined;

  /**
   * The data behind the gate can no longer be trusted (a write failed after its batch was
   * answered): every read and write admitted from now on, including those waiting, fails with
   * `err` instead of reading what is there.
   */
  break(err: Error): void {
    this.failure ??= err;
  }

  async read<T>(fn: () => Promise<T>): Promise<T> {
    if (this.writing || this.queue.length > 0) await new Promise<void>((resume) => this.queue.push({ kind: 'read', resume }));
    else this.readers++;
    try {
      if (this.failure !== undefined) throw this.failure;
      return await fn();
    } finally {
      this.readers--;
      this.wake();
    }
  }

  async write<T>(fn: () => Promise<T>): Promise<T> {
    if (this.writing || this.readers > 0 || this.queue.length > 0) {
      await new Promise<void>((resume) => this.queue.push({ kind: 'write', resume }));
    } else {
      this.writing = true;
    }
    try {
      if (this.failure !== undefined) throw this.failure;
      return await fn();
    } finally {
      this.writing = false;
      this.wake();
    }
  }

  /** Admits waiters in order: a writer once no reader is left, readers up to the next writer. */
  private wake(): void {
    while (!this.writing && this.queue.length > 0) {
      const next = this.queue[0]!;
      if (next.kind === 'write') {
        if (this.readers > 0) return;
        this.queue.shift();
        this.writing = true;
        next.resume();
        return;
      }
      this.queue.shift();
      this.readers++;
      next.resume();
    }
  }
}
