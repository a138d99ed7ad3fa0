// Original file: proto/roster/registry.proto

import type { HealthStatus as _roster_registry_v1_HealthStatus, HealthStatus__Output as _roster_registry_v1_HealthStatus__Output } from '../../../roster/registry/v1/HealthStatus.js';
import type { Long } from '@grpc/proto-loader';

export interface Check {
  'id'?: (string);
  'name'?: (string);
  'node'?: (string);
  'serviceId'?: (string);
  'serviceName'?: (string);
  'status'?: (_roster_registry_v1_HealthStatus);
  'output'?: (string);
  'notes'?: (string);
  'type'?: (string);
  'ttlMs'?: (number | string | Long);
  'deregisterCriticalAfterMs'?: (number | string | Long);
  'definition'?: ({[key: string]: string});
  'createRevision'?: (number | string | Long);
  'modifyRevision'?: (number | string | Long);
}

export interface Check__Output {
  'id': (string);
  'name': (string);
  'node': (string);
  'serviceId': (string);
  'serviceName': (string);
  'status': (_roster_registry_v1_HealthStatus__Output);
  'output': (string);
  'notes': (string);
  'type': (string);
  'ttlMs': (string);
  'deregisterCriticalAfterMs': (string);
  'definition': ({[key: string]: string});
  'createRevision': (string);
  'modifyRevision': (string);
}
