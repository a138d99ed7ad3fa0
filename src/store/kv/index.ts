/** The etcd-compatible MVCC key-value state machine. */
export type { ApplyEntry, ApplyResult, MvccStoreOptions, StoreExtension, StoreView } from './mvcc-store.js';
export { MvccStore } from './mvcc-store.js';
export type { KvCommand, KvCommandResponse } from './command.js';
export { decodeKvCommand, encodeKvCommand } from './command-codec.js';
export type { KvEntry, KvOp, OrderedKv, OrderedKvReader, ScanRange } from './ordered-kv.js';
export { MemoryOrderedKv } from './memory-kv.js';
export { KV_ERRORS, kvError, type KvErrorCode } from './kv-errors.js';
export { MAX_TXN_OPS, validateDeleteRange, validateKvCommand, validatePut, validateRange, validateTxn } from './validate.js';
export { KV_ONLY, WriteScope, type LeaseItemOwner } from './write-scope.js';
export { NAMESPACE, namespaceOf, namespaceEnd, namespaceStart, nsKey, stripNamespace, type Namespace } from './namespace.js';
export type { LeaseRecord } from './lease-layout.js';
export type { LeaseGrantRequest, LeaseGrantResponse, LeaseRevokeRequest, LeaseRevokeResponse } from './leases.js';
export * from './requests.js';
export type * from './types.js';
