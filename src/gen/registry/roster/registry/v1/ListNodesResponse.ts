// Original file: proto/roster/registry.proto

import type { Node as _roster_registry_v1_Node, Node__Output as _roster_registry_v1_Node__Output } from '../../../roster/registry/v1/Node.js';
import type { QueryMeta as _roster_registry_v1_QueryMeta, QueryMeta__Output as _roster_registry_v1_QueryMeta__Output } from '../../../roster/registry/v1/QueryMeta.js';

export interface ListNodesResponse {
  'nodes'?: (_roster_registry_v1_Node)[];
  'meta'?: (_roster_registry_v1_QueryMeta | null);
}

export interface ListNodesResponse__Output {
  'nodes': (_roster_registry_v1_Node__Output)[];
  'meta': (_roster_registry_v1_QueryMeta__Output | null);
}
