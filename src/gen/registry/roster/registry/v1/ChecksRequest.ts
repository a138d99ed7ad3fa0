// Original file: proto/roster/registry.proto

import type { HealthStatus as _roster_registry_v1_HealthStatus, HealthStatus__Output as _roster_registry_v1_HealthStatus__Output } from '../../../roster/registry/v1/HealthStatus.js';
import type { QueryOptions as _roster_registry_v1_QueryOptions, QueryOptions__Output as _roster_registry_v1_QueryOptions__Output } from '../../../roster/registry/v1/QueryOptions.js';

export interface ChecksRequest {
  'state'?: (_roster_registry_v1_HealthStatus);
  'service'?: (string);
  'options'?: (_roster_registry_v1_QueryOptions | null);
}

export interface ChecksRequest__Output {
  'state': (_roster_registry_v1_HealthStatus__Output);
  'service': (string);
  'options': (_roster_registry_v1_QueryOptions__Output | null);
}
