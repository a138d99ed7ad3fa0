// Original file: proto/roster/registry.proto

import type { Node as _roster_registry_v1_Node, Node__Output as _roster_registry_v1_Node__Output } from '../../../roster/registry/v1/Node.js';
import type { Service as _roster_registry_v1_Service, Service__Output as _roster_registry_v1_Service__Output } from '../../../roster/registry/v1/Service.js';
import type { Check as _roster_registry_v1_Check, Check__Output as _roster_registry_v1_Check__Output } from '../../../roster/registry/v1/Check.js';
import type { Long } from '@grpc/proto-loader';

export interface RegisterRequest {
  'node'?: (_roster_registry_v1_Node | null);
  'service'?: (_roster_registry_v1_Service | null);
  'checks'?: (_roster_registry_v1_Check)[];
  'lease'?: (number | string | Long);
  'skipNodeUpdate'?: (boolean);
  'serviceTtlMs'?: (number | string | Long);
  'serviceDeregisterCriticalAfterMs'?: (number | string | Long);
}

export interface RegisterRequest__Output {
  'node': (_roster_registry_v1_Node__Output | null);
  'service': (_roster_registry_v1_Service__Output | null);
  'checks': (_roster_registry_v1_Check__Output)[];
  'lease': (string);
  'skipNodeUpdate': (boolean);
  'serviceTtlMs': (string);
  'serviceDeregisterCriticalAfterMs': (string);
}
