/**
 * The KV domain types, mirroring etcd v3's messages (api/etcdserverpb/rpc.proto and
 * api/mvccpb/kv.proto) field for field, so the API layer maps them one to one. Every field is
 * present, as in a decoded protobuf message; requests.ts builds them with proto3's defaults.
 *
 * Revisions, versions and counts are numbers (always below 2^53); lease IDs are etcd's int64,
 * so bigint. An empty `rangeEnd` means "just `key`"; [0x00] means "every key >= key".
 */

export interface KeyValue {
  readonly key: Uint8Array;
  /** Main revision of the put that created the key (since its last delete). */
  readonly createRevision: number;
  /** Main revision of the key's last put. */
  readonly modRevision: number;
  /** Number of puts since the key was created: 1 after the creating put. */
  readonly version: number;
  readonly value: Uint8Array;
  /** The lease the key is attached to, 0n for none. */
  readonly lease: bigint;
}

export type SortOrder = 'none' | 'ascend' | 'descend';
export type SortTarget = 'key' | 'version' | 'create' | 'mod' | 'value';

export interface RangeRequest {
  readonly key: Uint8Array;
  readonly rangeEnd: Uint8Array;
  /** At most this many kvs; 0 (or less) for no limit. */
  readonly limit: number;
  /** Read as of this revision; 0 (or less) for the current one. */
  readonly revision: number;
  readonly sortOrder: SortOrder;
  readonly sortTarget: SortTarget;
  readonly keysOnly: boolean;
  readonly countOnly: boolean;
  /** Filters; 0 means no filter. */
  readonly minModRevision: number;
  readonly maxModRevision: number;
  readonly minCreateRevision: number;
  readonly maxCreateRevision: number;
}

export interface PutRequest {
  readonly key: Uint8Array;
  readonly value: Uint8Array;
  readonly lease: bigint;
  readonly prevKv: boolean;
  /** Keep the current value (the key must exist; `value` must be empty). */
  readonly ignoreValue: boolean;
  /** Keep the current lease (the key must exist; `lease` must be 0). */
  readonly ignoreLease: boolean;
}

export interface DeleteRangeRequest {
  readonly key: Uint8Array;
  readonly rangeEnd: Uint8Array;
  readonly prevKv: boolean;
}

export type CompareResult = 'equal' | 'greater' | 'less' | 'notEqual';
export type CompareTarget = 'version' | 'create' | 'mod' | 'value' | 'lease';

interface CompareCommon {
  readonly result: CompareResult;
  readonly key: Uint8Array;
  readonly rangeEnd: Uint8Array;
}

/** etcd's Compare: the target and its operand travel together (proto's target_union). */
export type Compare = CompareCommon &
  (
    | { readonly target: 'version'; readonly version: number }
    | { readonly target: 'create'; readonly createRevision: number }
    | { readonly target: 'mod'; readonly modRevision: number }
    | { readonly target: 'value'; readonly value: Uint8Array }
    | { readonly target: 'lease'; readonly lease: bigint }
  );

export type RequestOp =
  | { readonly type: 'range'; readonly request: RangeRequest }
  | { readonly type: 'put'; readonly request: PutRequest }
  | { readonly type: 'deleteRange'; readonly request: DeleteRangeRequest }
  | { readonly type: 'txn'; readonly request: TxnRequest };

export interface TxnRequest {
  readonly compare: readonly Compare[];
  readonly success: readonly RequestOp[];
  readonly failure: readonly RequestOp[];
}

export interface CompactRequest {
  readonly revision: number;
}

/**
 * Every response carries `revision`: the store revision it reflects, from which the API layer
 * builds etcd's ResponseHeader. For a top-level request it is the store revision after the
 * request; for an op inside a txn it is what etcd reports there (see txn.ts).
 */
export interface RangeResponse {
  readonly kvs: readonly KeyValue[];
  /** True when `limit` cut the result short. */
  readonly more: boolean;
  /** Number of keys in the range at the read revision, ignoring limit and filters. */
  readonly count: number;
  readonly revision: number;
}

export interface PutResponse {
  /** The previous KeyValue, when requested and the key existed. */
  readonly prevKv: KeyValue | undefined;
  readonly revision: number;
}

export interface DeleteRangeResponse {
  readonly deleted: number;
  /** The deleted KeyValues, when requested. */
  readonly prevKvs: readonly KeyValue[];
  readonly revision: number;
}

export type ResponseOp =
  | { readonly type: 'range'; readonly response: RangeResponse }
  | { readonly type: 'put'; readonly response: PutResponse }
  | { readonly type: 'deleteRange'; readonly response: DeleteRangeResponse }
  | { readonly type: 'txn'; readonly response: TxnResponse };

export interface TxnResponse {
  readonly succeeded: boolean;
  readonly responses: readonly ResponseOp[];
  readonly revision: number;
}

export interface CompactResponse {
  readonly revision: number;
}

/** One change, as a watch will report it. */
export interface KvEvent {
  readonly type: 'put' | 'delete';
  /**
   * For a put the new KeyValue; for a delete etcd's tombstone: the key, modRevision = the
   * delete's revision, everything else zero.
   */
  readonly kv: KeyValue;
  /** modRevision of the KeyValue this change replaced or deleted; 0 when the put created the key. */
  readonly prevModRevision: number;
  /** Order of the change inside its revision (etcd's sub-revision). */
  readonly sub: number;
  /**
   * The KeyValue this change replaced or deleted, when known without a read: null when there was
   * none, undefined when it must be read from history (an event read back from the event log).
   */
  readonly prev?: KeyValue | null;
}

/** The events of one revision, in sub-revision order. */
export interface RevisionEvents {
  readonly revision: number;
  readonly events: readonly KvEvent[];
}
