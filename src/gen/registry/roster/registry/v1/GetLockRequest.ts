// Original file: proto/roster/registry.proto

import type { QueryOptions as _roster_registry_v1_QueryOptions, QueryOptions__Output as _roster_registry_v1_QueryOptions__Output } from '../../../roster/registry/v1/QueryOptions.js';

export interface GetLockRequest {
  'key'?: (Buffer | Uint8Array | string);
  'options'?: (_roster_registry_v1_QueryOptions | null);
  'rangeEnd'?: (Buffer | Uint8Array | string);
}

export interface GetLockRequest__Output {
  'key': (Buffer);
  'options': (_roster_registry_v1_QueryOptions__Output | null);
  'rangeEnd': (Buffer);
}
