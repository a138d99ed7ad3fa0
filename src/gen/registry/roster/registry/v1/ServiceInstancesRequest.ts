// Original file: proto/roster/registry.proto

import type { QueryOptions as _roster_registry_v1_QueryOptions, QueryOptions__Output as _roster_registry_v1_QueryOptions__Output } from '../../../roster/registry/v1/QueryOptions.js';

export interface ServiceInstancesRequest {
  'service'?: (string);
  'tag'?: (string);
  'nodeMeta'?: ({[key: string]: string});
  'passingOnly'?: (boolean);
  'options'?: (_roster_registry_v1_QueryOptions | null);
}

export interface ServiceInstancesRequest__Output {
  'service': (string);
  'tag': (string);
  'nodeMeta': ({[key: string]: string});
  'passingOnly': (boolean);
  'options': (_roster_registry_v1_QueryOptions__Output | null);
}
