// Original file: proto/roster/registry.proto

import type { TxnResult as _roster_registry_v1_TxnResult, TxnResult__Output as _roster_registry_v1_TxnResult__Output } from '../../../roster/registry/v1/TxnResult.js';
import type { TxnError as _roster_registry_v1_TxnError, TxnError__Output as _roster_registry_v1_TxnError__Output } from '../../../roster/registry/v1/TxnError.js';
import type { Long } from '@grpc/proto-loader';

export interface TxnResponse {
  'results'?: (_roster_registry_v1_TxnResult)[];
  'errors'?: (_roster_registry_v1_TxnError)[];
  'revision'?: (number | string | Long);
}

export interface TxnResponse__Output {
  'results': (_roster_registry_v1_TxnResult__Output)[];
  'errors': (_roster_registry_v1_TxnError__Output)[];
  'revision': (string);
}
