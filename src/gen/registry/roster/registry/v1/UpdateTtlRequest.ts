// Original file: proto/roster/registry.proto

import type { HealthStatus as _roster_registry_v1_HealthStatus, HealthStatus__Output as _roster_registry_v1_HealthStatus__Output } from '../../../roster/registry/v1/HealthStatus.js';

export interface UpdateTtlRequest {
  'node'?: (string);
  'checkId'?: (string);
  'status'?: (_roster_registry_v1_HealthStatus);
  'output'?: (string);
}

export interface UpdateTtlRequest__Output {
  'node': (string);
  'checkId': (string);
  'status': (_roster_registry_v1_HealthStatus__Output);
  'output': (string);
}
