// Original file: proto/roster/registry.proto

import type { TxnOp as _roster_registry_v1_TxnOp, TxnOp__Output as _roster_registry_v1_TxnOp__Output } from '../../../roster/registry/v1/TxnOp.js';

export interface TxnRequest {
  'ops'?: (_roster_registry_v1_TxnOp)[];
}

export interface TxnRequest__Output {
  'ops': (_roster_registry_v1_TxnOp__Output)[];
}
