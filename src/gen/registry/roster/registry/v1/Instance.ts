// Original file: proto/roster/registry.proto

import type { Node as _roster_registry_v1_Node, Node__Output as _roster_registry_v1_Node__Output } from '../../../roster/registry/v1/Node.js';
import type { Service as _roster_registry_v1_Service, Service__Output as _roster_registry_v1_Service__Output } from '../../../roster/registry/v1/Service.js';
import type { Check as _roster_registry_v1_Check, Check__Output as _roster_registry_v1_Check__Output } from '../../../roster/registry/v1/Check.js';
import type { HealthStatus as _roster_registry_v1_HealthStatus, HealthStatus__Output as _roster_registry_v1_HealthStatus__Output } from '../../../roster/registry/v1/HealthStatus.js';
import type { Long } from '@grpc/proto-loader';

export interface Instance {
  'node'?: (_roster_registry_v1_Node | null);
  'service'?: (_roster_registry_v1_Service | null);
  'checks'?: (_roster_registry_v1_Check)[];
  'status'?: (_roster_registry_v1_HealthStatus);
  'createRevision'?: (number | string | Long);
  'modifyRevision'?: (number | string | Long);
}

export interface Instance__Output {
  'node': (_roster_registry_v1_Node__Output | null);
  'service': (_roster_registry_v1_Service__Output | null);
  'checks': (_roster_registry_v1_Check__Output)[];
  'status': (_roster_registry_v1_HealthStatus__Output);
  'createRevision': (string);
  'modifyRevision': (string);
}
