import type { Entry } from '../../src/raft/index.js';
import { ENTRY_TAG } from '../../src/store/envelope.js';
import { etcdPutWrites } from './write-codec.js';

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/**
 * The simulated application: a rolling hash of every entry applied (client writes, no-ops and
 * membership changes). Two nodes that applied the same sequence up to index i have the same
 * hash at i, so comparing hashes compares whole histories in O(1).
 */
export class ListStateMachine {
  index = 0;
  hash = 0x811c9dc5;

  apply(e: Entry): void {
    this.index = e.index;
    this.hash = mixEntry(this.hash, e);
  }

  encode(): Uint8Array {
    return encoder.encode(JSON.stringify({ index: this.index, hash: this.hash }));
  }

  /** The state in a snapshot taken at `index` (the bootstrap snapshot carries no data). */
  static decode(data: Uint8Array, index: number): ListStateMachine {
    const sm = new ListStateMachine();
    if (data.length === 0) {
      sm.index = index;
      return sm;
    }
    const raw = JSON.parse(decoder.decode(data)) as { index: number; hash: number };
    sm.index = raw.index;
    sm.hash = raw.hash;
    return sm;
  }
}

/** FNV-1a over the entry's term, kind and payload, chained onto the previous hash. */
export function mixEntry(hash: number, e: Entry): number {
  let h = hash;
  h = Math.imul(h ^ (e.term & 0xffff), 0x01000193) >>> 0;
  h = Math.imul(h ^ (e.term >>> 16), 0x01000193) >>> 0;
  h = Math.imul(h ^ (e.kind === 'conf' ? 1 : 2), 0x01000193) >>> 0;
  for (let i = 0; i < e.data.length; i++) h = Math.imul(h ^ e.data[i]!, 0x01000193) >>> 0;
  return h;
}

/** A short readable rendering of an entry's payload for traces. */
export function entryLabel(e: Entry): string {
  if (e.kind === 'conf') return `conf:${decoder.decode(e.data)}`;
  if (e.data.length === 0) return 'noop';
  // A production-driver write is an etcd put (write-codec.ts); its payload is the readable part.
  if (e.data[0] === ENTRY_TAG.kv) return `put:${etcdPutWrites.decode(e.data) ?? '?'}`;
  return decoder.decode(e.data);
}
