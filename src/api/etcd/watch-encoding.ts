import protobuf from 'protobufjs';
import { protoType } from '../../proto/proto-types.js';
import type { KeyValue, KvEvent } from '../../store/kv/types.js';

interface Types {
  readonly event: protobuf.Type;
  readonly header: protobuf.Type;
}

let types: Types | undefined;

function load(): Types {
  if (types !== undefined) return types;
  types = { event: protoType('etcd/etcdserverpb/rpc.proto', 'mvccpb.Event'), header: protoType('etcd/etcdserverpb/rpc.proto', 'etcdserverpb.ResponseHeader') };
  return types;
}

/** WatchResponse field numbers (etcd's rpc.proto). */
const FIELD = { header: 1, watchId: 2, created: 3, canceled: 4, compactRevision: 5, cancelReason: 6, fragment: 7, events: 11 } as const;

function kvMessage(kv: KeyValue): Record<string, unknown> {
  return {
    key: kv.key,
    createRevision: kv.createRevision,
    modRevision: kv.modRevision,
    version: kv.version,
    value: kv.value,
    lease: kv.lease === 0n ? 0 : kv.lease.toString(),
  };
}

/**
 * One Event as the `events` field of a WatchResponse (tag, length, message): encoded once per
 * change and per form (with or without the previous value), then copied into every response
 * that carries it, whichever watcher and stream it goes to.
 */
export function encodeEventField(e: KvEvent, prev: KeyValue | undefined): Uint8Array {
  const { event } = load();
  const msg = { type: e.type === 'put' ? 0 : 1, kv: kvMessage(e.kv), ...(prev === undefined ? {} : { prevKv: kvMessage(prev) }) };
  return protobuf.Writer.create().uint32((FIELD.events << 3) | 2).bytes(event.encode(event.fromObject(msg)).finish()).finish();
}

export interface HeaderFields {
  readonly clusterId: string;
  readonly memberId: string;
  readonly revision: number;
  readonly raftTerm: number;
}

/** The header field of a WatchResponse, encoded (shared by every response of one delivery). */
export function encodeHeaderField(h: HeaderFields): Uint8Array {
  const { header } = load();
  const body = header.encode(header.fromObject({ clusterId: h.clusterId, memberId: h.memberId, revision: h.revision, raftTerm: h.raftTerm })).finish();
  return protobuf.Writer.create().uint32((FIELD.header << 3) | 2).bytes(body).finish();
}

export interface WatchResponseParts {
  readonly header: Uint8Array;
  readonly watchId: bigint;
  readonly created?: boolean;
  readonly canceled?: boolean;
  readonly compactRevision?: number;
  readonly cancelReason?: string;
  readonly fragment?: boolean;
  /** Pre-encoded event fields (encodeEventField). */
  readonly events?: readonly Uint8Array[];
}

/** A whole WatchResponse, ready to write to the stream as it is. */
export function encodeWatchResponse(p: WatchResponseParts): Buffer {
  const w = protobuf.Writer.create();
  if (p.watchId !== 0n) w.uint32((FIELD.watchId << 3) | 0).int64(p.watchId.toString());
  if (p.created === true) w.uint32((FIELD.created << 3) | 0).bool(true);
  if (p.canceled === true) w.uint32((FIELD.canceled << 3) | 0).bool(true);
  if (p.compactRevision !== undefined && p.compactRevision !== 0) w.uint32((FIELD.compactRevision << 3) | 0).int64(p.compactRevision);
  if (p.cancelReason !== undefined && p.cancelReason !== '') w.uint32((FIELD.cancelReason << 3) | 2).string(p.cancelReason);
  if (p.fragment === true) w.uint32((FIELD.fragment << 3) | 0).bool(true);
  const head = w.finish();
  const events = p.events ?? [];
  let length = p.header.length + head.length;
  for (const e of events) length += e.length;
  const out = Buffer.allocUnsafe(length);
  out.set(p.header, 0);
  out.set(head, p.header.length);
  let at = p.header.length + head.length;
  for (const e of events) {
    out.set(e, at);
    at += e.length;
  }
  return out;
}
