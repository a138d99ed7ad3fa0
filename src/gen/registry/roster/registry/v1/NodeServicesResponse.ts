// Original file: proto/roster/registry.proto

import type { Node as _roster_registry_v1_Node, Node__Output as _roster_registry_v1_Node__Output } from '../../../roster/registry/v1/Node.js';
import type { Service as _roster_registry_v1_Service, Service__Output as _roster_registry_v1_Service__Output } from '../../../roster/registry/v1/Service.js';
import type { Check as _roster_registry_v1_Check, Check__Output as _roster_registry_v1_Check__Output } from '../../../roster/registry/v1/Check.js';
import type { QueryMeta as _roster_registry_v1_QueryMeta, QueryMeta__Output as _roster_registry_v1_QueryMeta__Output } from '../../../roster/registry/v1/QueryMeta.js';

export interface NodeServicesResponse {
  'node'?: (_roster_registry_v1_Node | null);
  'services'?: (_roster_registry_v1_Service)[];
  'checks'?: (_roster_registry_v1_Check)[];
  'meta'?: (_roster_registry_v1_QueryMeta | null);
}

export interface NodeServicesResponse__Output {
  'node': (_roster_registry_v1_Node__Output | null);
  'services': (_roster_registry_v1_Service__Output)[];
  'checks': (_roster_registry_v1_Check__Output)[];
  'meta': (_roster_registry_v1_QueryMeta__Output | null);
}
