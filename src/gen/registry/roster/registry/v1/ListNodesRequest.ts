// Original file: proto/roster/registry.proto

import type { QueryOptions as _roster_registry_v1_QueryOptions, QueryOptions__Output as _roster_registry_v1_QueryOptions__Output } from '../../../roster/registry/v1/QueryOptions.js';

export interface ListNodesRequest {
  'options'?: (_roster_registry_v1_QueryOptions | null);
  'nodeMeta'?: ({[key: string]: string});
}

export interface ListNodesRequest__Output {
  'options': (_roster_registry_v1_QueryOptions__Output | null);
  'nodeMeta': ({[key: string]: string});
}
