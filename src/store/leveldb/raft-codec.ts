import { crc32 } from '../../util/crc32.js';
import type { ConfState, Entry, HardState, SnapshotMeta } from '../../raft/index.js';
import { nodeId, type NodeId } from '../../util/ids.js';
import { RosterError } from '../../util/errors.js';

/**
 * Byte layouts of the Raft log database. Every record carries a CRC32 of its contents, so a
 * torn or corrupt record is detected on load instead of being served.
 *
 * Keys: 'e' + big-endian u64 index (so a range scan returns entries in log order), 'h' hard
 * state, 's' the compaction point (the snapshot metadata the log starts after).
 */
export const ENTRY_PREFIX = 0x65; // 'e'
export const HARD_STATE_KEY = Uint8Array.of(0x68); // 'h'
export const COMPACTION_KEY = Uint8Array.of(0x73); // 's'
/** The last deleted entry (index and term): the log's first entry follows it. */
export const LOG_START_KEY = Uint8Array.of(0x70); // 'p'

export function entryKey(index: number): Uint8Array {
  const k = new Uint8Array(9);
  k[0] = ENTRY_PREFIX;
  writeU64(k, 1, index);
  return k;
}

export function indexOfEntryKey(key: Uint8Array): number {
  return readU64(key, 1);
}

const ENTRY_HEADER = 4 + 8 + 8 + 1; // crc, index, term, kind

/** [crc32][index u64][term u64][kind u8][data...]; the CRC covers everything after it. */
export function encodeEntry(e: Entry): Uint8Array {
  const out = new Uint8Array(ENTRY_HEADER + e.data.length);
  writeU64(out, 4, e.index);
  writeU64(out, 12, e.term);
  out[20] = e.kind === 'conf' ? 1 : 0;
  out.set(e.data, ENTRY_HEADER);
  new DataView(out.buffer).setUint32(0, crc32(out.subarray(4)));
  return out;
}

/** Decodes a stored entry, or undefined if it is torn or corrupt. */
export function decodeEntry(bytes: Uint8Array): Entry | undefined {
  if (bytes.length < ENTRY_HEADER) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0) !== crc32(bytes.subarray(4))) return undefined;
  const kind = bytes[20];
  if (kind !== 0 && kind !== 1) return undefined;
  return { index: readU64(bytes, 4), term: readU64(bytes, 12), kind: kind === 1 ? 'conf' : 'normal', data: bytes.slice(ENTRY_HEADER) };
}

/** Small JSON records (hard state, compaction point) framed with a CRC32. */
function encodeRecord(value: unknown): Uint8Array {
  const body = new TextEncoder().encode(JSON.stringify(value));
  const out = new Uint8Array(4 + body.length);
  out.set(body, 4);
  new DataView(out.buffer).setUint32(0, crc32(body));
  return out;
}

function decodeRecord(bytes: Uint8Array, what: string): unknown {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 4 || view.getUint32(0) !== crc32(bytes.subarray(4))) {
    throw new RosterError('STORAGE_CORRUPT', `raft storage: the ${what} record is corrupt`);
  }
  return JSON.parse(new TextDecoder().decode(bytes.subarray(4)));
}

export function encodeHardState(hs: HardState): Uint8Array {
  return encodeRecord({ term: hs.term, vote: hs.vote, commit: hs.commit });
}

export function decodeHardState(bytes: Uint8Array): HardState {
  const r = decodeRecord(bytes, 'hard state') as { term: number; vote: string; commit: number };
  return { term: r.term, vote: (r.vote === '' ? '' : nodeId(r.vote)) as NodeId, commit: r.commit };
}

export function encodeSnapshotMeta(m: SnapshotMeta): Uint8Array {
  return encodeRecord({ index: m.index, term: m.term, voters: m.conf.voters, learners: m.conf.learners });
}

export function decodeSnapshotMeta(bytes: Uint8Array): SnapshotMeta {
  const r = decodeRecord(bytes, 'compaction point') as { index: number; term: number; voters: string[]; learners: string[] };
  const conf: ConfState = { voters: r.voters.map(nodeId), learners: r.learners.map(nodeId) };
  return { index: r.index, term: r.term, conf };
}

export function encodeLogStart(p: { index: number; term: number }): Uint8Array {
  return encodeRecord({ index: p.index, term: p.term });
}

export function decodeLogStart(bytes: Uint8Array): { index: number; term: number } {
  const r = decodeRecord(bytes, 'log start') as { index: number; term: number };
  return { index: r.index, term: r.term };
}

export function writeU64(buf: Uint8Array, offset: number, value: number): void {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  view.setUint32(offset, Math.floor(value / 0x1_0000_0000));
  view.setUint32(offset + 4, value >>> 0);
}

export function readU64(buf: Uint8Array, offset: number): number {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  return view.getUint32(offset) * 0x1_0000_0000 + view.getUint32(offset + 4);
}
