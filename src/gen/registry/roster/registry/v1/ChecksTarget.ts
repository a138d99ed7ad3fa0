// Original file: proto/roster/registry.proto

import type { HealthStatus as _roster_registry_v1_HealthStatus, HealthStatus__Output as _roster_registry_v1_HealthStatus__Output } from '../../../roster/registry/v1/HealthStatus.js';

export interface ChecksTarget {
  'state'?: (_roster_registry_v1_HealthStatus);
  'service'?: (string);
}

export interface ChecksTarget__Output {
  'state': (_roster_registry_v1_HealthStatus__Output);
  'service': (string);
}
