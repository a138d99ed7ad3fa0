import protobuf from 'protobufjs';
import { protoType } from '../../proto/proto-types.js';
import type { ItemMessage } from './watch-targets.js';

let changeType: protobuf.Type | undefined;

function change(): protobuf.Type {
  if (changeType !== undefined) return changeType;
  changeType = protoType('roster/registry.proto', 'roster.registry.v1.Change');
  return changeType;
}

export type ChangeType = 'ADDED' | 'CHANGED' | 'REMOVED';

export interface ChangeMessage {
  readonly type: ChangeType;
  readonly revision: number;
  readonly item: ItemMessage | undefined;
  readonly previous: ItemMessage | undefined;
}

/** WatchResponse field numbers (registry.proto). */
const FIELD = { watchId: 1, kind: 2, revision: 3, changes: 4, stale: 5, compactRevision: 6, cancelReason: 7, lastContactMs: 8 } as const;

export const KIND = { SNAPSHOT: 0, CHANGES: 1, PROGRESS: 2, CANCELED: 3 } as const;

/** One Change as the `changes` field of a WatchResponse, encoded once for every watcher of the same thing. */
export function encodeChangeField(c: ChangeMessage): Uint8Array {
  const t = change();
  const msg = t.fromObject({ type: c.type, revision: String(c.revision), ...(c.item === undefined ? {} : { item: c.item }), ...(c.previous === undefined ? {} : { previous: c.previous }) });
  return protobuf.Writer.create().uint32((FIELD.changes << 3) | 2).bytes(t.encode(msg).finish()).finish();
}

export interface RegistryWatchResponse {
  readonly watchId: bigint;
  readonly kind: (typeof KIND)[keyof typeof KIND];
  readonly revision: number;
  readonly changes?: readonly Uint8Array[];
  readonly stale: boolean;
  readonly compactRevision?: number;
  readonly cancelReason?: string;
  readonly lastContactMs: number;
}

/** A whole WatchResponse: the per-watcher fields, then the shared change bytes as they are. */
export function encodeRegistryWatchResponse(r: RegistryWatchResponse): Buffer {
  const w = protobuf.Writer.create();
  w.uint32((FIELD.watchId << 3) | 0).int64(r.watchId.toString());
  if (r.kind !== 0) w.uint32((FIELD.kind << 3) | 0).int32(r.kind);
  if (r.revision !== 0) w.uint32((FIELD.revision << 3) | 0).int64(r.revision);
  if (r.stale) w.uint32((FIELD.stale << 3) | 0).bool(true);
  if (r.compactRevision !== undefined && r.compactRevision !== 0) w.uint32((FIELD.compactRevision << 3) | 0).int64(r.compactRevision);
  if (r.cancelReason !== undefined && r.cancelReason !== '') w.uint32((FIELD.cancelReason << 3) | 2).string(r.cancelReason);
  if (r.lastContactMs !== 0) w.uint32((FIELD.lastContactMs << 3) | 0).int64(r.lastContactMs);
  const head = w.finish();
  const changes = r.changes ?? [];
  let length = head.length;
  for (const c of changes) length += c.length;
  const out = Buffer.allocUnsafe(length);
  out.set(head, 0);
  let pos = head.length;
  for (const c of changes) {
    out.set(c, pos);
    pos += c.length;
  }
  return out;
}
