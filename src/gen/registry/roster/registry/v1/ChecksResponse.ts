// Original file: proto/roster/registry.proto

import type { Check as _roster_registry_v1_Check, Check__Output as _roster_registry_v1_Check__Output } from '../../../roster/registry/v1/Check.js';
import type { QueryMeta as _roster_registry_v1_QueryMeta, QueryMeta__Output as _roster_registry_v1_QueryMeta__Output } from '../../../roster/registry/v1/QueryMeta.js';

export interface ChecksResponse {
  'checks'?: (_roster_registry_v1_Check)[];
  'meta'?: (_roster_registry_v1_QueryMeta | null);
}

export interface ChecksResponse__Output {
  'checks': (_roster_registry_v1_Check__Output)[];
  'meta': (_roster_registry_v1_QueryMeta__Output | null);
}
