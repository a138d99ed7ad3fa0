// Original file: proto/roster/registry.proto

import type { Check as _roster_registry_v1_Check, Check__Output as _roster_registry_v1_Check__Output } from '../../../roster/registry/v1/Check.js';
import type { Long } from '@grpc/proto-loader';

export interface CheckTxnOp {
  'verb'?: (string);
  'check'?: (_roster_registry_v1_Check | null);
  'index'?: (number | string | Long);
}

export interface CheckTxnOp__Output {
  'verb': (string);
  'check': (_roster_registry_v1_Check__Output | null);
  'index': (string);
}
