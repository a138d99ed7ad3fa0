// Original file: proto/roster/registry.proto

import type { LockState as _roster_registry_v1_LockState, LockState__Output as _roster_registry_v1_LockState__Output } from '../../../roster/registry/v1/LockState.js';
import type { QueryMeta as _roster_registry_v1_QueryMeta, QueryMeta__Output as _roster_registry_v1_QueryMeta__Output } from '../../../roster/registry/v1/QueryMeta.js';

export interface GetLockResponse {
  'lock'?: (_roster_registry_v1_LockState | null);
  'meta'?: (_roster_registry_v1_QueryMeta | null);
  'locks'?: (_roster_registry_v1_LockState)[];
}

export interface GetLockResponse__Output {
  'lock': (_roster_registry_v1_LockState__Output | null);
  'meta': (_roster_registry_v1_QueryMeta__Output | null);
  'locks': (_roster_registry_v1_LockState__Output)[];
}
