// Original file: proto/roster/registry.proto

import type { QueryOptions as _roster_registry_v1_QueryOptions, QueryOptions__Output as _roster_registry_v1_QueryOptions__Output } from '../../../roster/registry/v1/QueryOptions.js';

export interface ListSessionsRequest {
  'node'?: (string);
  'options'?: (_roster_registry_v1_QueryOptions | null);
}

export interface ListSessionsRequest__Output {
  'node': (string);
  'options': (_roster_registry_v1_QueryOptions__Output | null);
}
