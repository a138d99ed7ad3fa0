// Original file: proto/roster/registry.proto

import type { Instance as _roster_registry_v1_Instance, Instance__Output as _roster_registry_v1_Instance__Output } from '../../../roster/registry/v1/Instance.js';
import type { QueryMeta as _roster_registry_v1_QueryMeta, QueryMeta__Output as _roster_registry_v1_QueryMeta__Output } from '../../../roster/registry/v1/QueryMeta.js';

export interface ServiceInstancesResponse {
  'instances'?: (_roster_registry_v1_Instance)[];
  'meta'?: (_roster_registry_v1_QueryMeta | null);
}

export interface ServiceInstancesResponse__Output {
  'instances': (_roster_registry_v1_Instance__Output)[];
  'meta': (_roster_registry_v1_QueryMeta__Output | null);
}
