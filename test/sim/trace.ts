import { describeMessage, type Message } from '../../src/raft/index.js';

type Item = string | Message;

/**
 * The simulator's trace. Every line is kept when a run is replayed with --trace; otherwise
 * only the last `tailSize` (printed with a failure). Messages are stored as objects and only
 * rendered when printed, so tracing costs little on the thousands of seeds that pass.
 */
export class Trace {
  private at: number[] = [];
  private items: Item[] = [];
  private dropped = 0;

  constructor(
    private readonly keepAll: boolean,
    private readonly tailSize = 400,
  ) {}

  add(at: number, item: Item): void {
    this.at.push(at);
    this.items.push(item);
    if (!this.keepAll && this.items.length > this.tailSize * 4) {
      const cut = this.items.length - this.tailSize;
      this.dropped += cut;
      this.at = this.at.slice(cut);
      this.items = this.items.slice(cut);
    }
  }

  render(): string {
    const start = this.keepAll ? 0 : Math.max(0, this.items.length - this.tailSize);
    const lines: string[] = [];
    const skipped = this.dropped + start;
    if (skipped > 0) lines.push(`... ${skipped} earlier lines (replay the seed with --trace to see all)`);
    for (let i = start; i < this.items.length; i++) {
      const item = this.items[i]!;
      lines.push(`${String(this.at[i]).padStart(7)}ms ${typeof item === 'string' ? item : `deliver ${describeMessage(item)}`}`);
    }
    return lines.join('\n');
  }
}
