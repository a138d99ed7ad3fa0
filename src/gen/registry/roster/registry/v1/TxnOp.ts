// Original file: proto/roster/registry.proto

import type { KvTxnOp as _roster_registry_v1_KvTxnOp, KvTxnOp__Output as _roster_registry_v1_KvTxnOp__Output } from '../../../roster/registry/v1/KvTxnOp.js';
import type { NodeTxnOp as _roster_registry_v1_NodeTxnOp, NodeTxnOp__Output as _roster_registry_v1_NodeTxnOp__Output } from '../../../roster/registry/v1/NodeTxnOp.js';
import type { ServiceTxnOp as _roster_registry_v1_ServiceTxnOp, ServiceTxnOp__Output as _roster_registry_v1_ServiceTxnOp__Output } from '../../../roster/registry/v1/ServiceTxnOp.js';
import type { CheckTxnOp as _roster_registry_v1_CheckTxnOp, CheckTxnOp__Output as _roster_registry_v1_CheckTxnOp__Output } from '../../../roster/registry/v1/CheckTxnOp.js';

export interface TxnOp {
  'kv'?: (_roster_registry_v1_KvTxnOp | null);
  'node'?: (_roster_registry_v1_NodeTxnOp | null);
  'service'?: (_roster_registry_v1_ServiceTxnOp | null);
  'check'?: (_roster_registry_v1_CheckTxnOp | null);
  'op'?: "kv"|"node"|"service"|"check";
}

export interface TxnOp__Output {
  'kv'?: (_roster_registry_v1_KvTxnOp__Output | null);
  'node'?: (_roster_registry_v1_NodeTxnOp__Output | null);
  'service'?: (_roster_registry_v1_ServiceTxnOp__Output | null);
  'check'?: (_roster_registry_v1_CheckTxnOp__Output | null);
  'op'?: "kv"|"node"|"service"|"check";
}
