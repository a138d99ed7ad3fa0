import { invariant } from '../util/assert.js';
import type { LogIndex, Term } from '../util/ids.js';
import { EMPTY_DATA, entrySize, type Entry } from './types.js';

/**
 * The part of the log a storage keeps at hand: entries after a placeholder for the last
 * compacted entry (whose index and term stay answerable, as Raft needs for the entry before the
 * first one). MemoryStorage holds its whole log in one; the LevelDB storage mirrors its stored
 * log in one so the core can read synchronously.
 */
export class LogWindow {
  /** ents[0] is the placeholder: only its index and term mean anything. */
  private ents: Entry[];

  constructor(index: LogIndex, term: Term, entries: readonly Entry[] = []) {
    this.ents = [placeholder(index, term), ...entries];
  }

  firstIndex(): LogIndex {
    return this.ents[0]!.index + 1;
  }

  lastIndex(): LogIndex {
    return this.ents[0]!.index + this.ents.length - 1;
  }

  /** The term of `index`, or undefined if it is before the placeholder or after the end. */
  term(index: LogIndex): Term | undefined {
    const offset = this.ents[0]!.index;
    if (index < offset || index > offset + this.ents.length - 1) return undefined;
    return this.ents[index - offset]!.term;
  }

  /** Entries in [lo, hi), at least one, stopping once `maxBytes` is exceeded. */
  entries(lo: LogIndex, hi: LogIndex, maxBytes = Infinity): Entry[] {
    const offset = this.ents[0]!.index;
    invariant(lo > offset && hi <= this.lastIndex() + 1, () => `entries(${lo}, ${hi}) outside ${offset + 1}..${this.lastIndex()}`);
    if (maxBytes === Infinity) return this.ents.slice(lo - offset, hi - offset);
    const out: Entry[] = [];
    let size = 0;
    for (let i = lo; i < hi; i++) {
      const e = this.ents[i - offset]!;
      size += entrySize(e);
      if (out.length > 0 && size > maxBytes) break;
      out.push(e);
    }
    return out;
  }

  /** Appends entries, replacing the suffix they overlap; the part already compacted is skipped. */
  append(entries: readonly Entry[]): void {
    if (entries.length === 0) return;
    const offset = this.ents[0]!.index;
    const start = Math.max(0, offset + 1 - entries[0]!.index);
    if (start >= entries.length) return;
    const from = entries[start]!.index;
    invariant(from <= this.lastIndex() + 1, () => `append at ${from} leaves a gap after ${this.lastIndex()}`);
    this.ents.length = from - offset;
    for (let i = start; i < entries.length; i++) this.ents.push(entries[i]!);
  }

  /** Drops entries up to and including `upTo`, which becomes the placeholder. */
  compact(upTo: LogIndex): void {
    const offset = this.ents[0]!.index;
    if (upTo <= offset) return;
    invariant(upTo <= this.lastIndex(), () => `compact(${upTo}) beyond the last index ${this.lastIndex()}`);
    const term = this.ents[upTo - offset]!.term;
    this.ents = [placeholder(upTo, term), ...this.ents.slice(upTo - offset + 1)];
  }

  /** Empties the window after (index, term): a snapshot replaced the log. */
  reset(index: LogIndex, term: Term): void {
    this.ents = [placeholder(index, term)];
  }
}

function placeholder(index: LogIndex, term: Term): Entry {
  return { index, term, kind: 'normal', data: EMPTY_DATA };
}
