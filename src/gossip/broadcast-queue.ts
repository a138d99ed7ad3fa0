import { newsBytes, type News } from './messages.js';

interface Queued {
  readonly news: News;
  /** Order of arrival: among equally transmitted news, the newest goes first. */
  readonly id: number;
  transmits: number;
}

/**
 * News waiting to be piggybacked, at most one item per member: newer news about a member replaces
 * older (there is no point spreading a superseded state). Each take() hands out the least
 * transmitted items first, and drops an item once it has been sent `limit` times.
 */
export class BroadcastQueue {
  private readonly byName = new Map<string, Queued>();
  private nextId = 0;

  get size(): number {
    return this.byName.size;
  }

  enqueue(news: News): void {
    this.byName.set(news.name, { news, id: this.nextId++, transmits: 0 });
  }

  /** Up to `budgetBytes` of news, fewest transmissions first; each counts as one transmission. */
  take(budgetBytes: number, limit: number): News[] {
    if (this.byName.size === 0) return [];
    const order = [...this.byName.values()].sort((a, b) => a.transmits - b.transmits || b.id - a.id);
    const out: News[] = [];
    let left = budgetBytes;
    for (const q of order) {
      const size = newsBytes(q.news);
      if (size > left) continue;
      left -= size;
      out.push(q.news);
      q.transmits++;
      if (q.transmits >= limit) this.byName.delete(q.news.name);
    }
    return out;
  }
}
