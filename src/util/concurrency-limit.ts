import { RosterError } from './errors.js';

/**
 * At most `atOnce` tasks run together and at most `queued` wait; one more is refused with
 * RESOURCE_EXHAUSTED (`refusal` says why) rather than held in memory without bound.
 */
export class ConcurrencyLimit {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly atOnce: number,
    private readonly queued: number,
    private readonly refusal: string,
  ) {}

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.running >= this.atOnce) {
      if (this.waiting.length >= this.queued) throw new RosterError('RESOURCE_EXHAUSTED', this.refusal);
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    try {
      return await fn();
    } finally {
      // The slot passes to the next waiter, or is freed.
      const next = this.waiting.shift();
      if (next !== undefined) next();
      else this.running--;
    }
  }
}
