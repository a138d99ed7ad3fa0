// Original file: proto/roster/registry.proto

import type { Instance as _roster_registry_v1_Instance, Instance__Output as _roster_registry_v1_Instance__Output } from '../../../roster/registry/v1/Instance.js';
import type { ServiceSummary as _roster_registry_v1_ServiceSummary, ServiceSummary__Output as _roster_registry_v1_ServiceSummary__Output } from '../../../roster/registry/v1/ServiceSummary.js';
import type { Node as _roster_registry_v1_Node, Node__Output as _roster_registry_v1_Node__Output } from '../../../roster/registry/v1/Node.js';
import type { Service as _roster_registry_v1_Service, Service__Output as _roster_registry_v1_Service__Output } from '../../../roster/registry/v1/Service.js';
import type { Check as _roster_registry_v1_Check, Check__Output as _roster_registry_v1_Check__Output } from '../../../roster/registry/v1/Check.js';
import type { LockState as _roster_registry_v1_LockState, LockState__Output as _roster_registry_v1_LockState__Output } from '../../../roster/registry/v1/LockState.js';
import type { Session as _roster_registry_v1_Session, Session__Output as _roster_registry_v1_Session__Output } from '../../../roster/registry/v1/Session.js';

export interface Item {
  'instance'?: (_roster_registry_v1_Instance | null);
  'service'?: (_roster_registry_v1_ServiceSummary | null);
  'node'?: (_roster_registry_v1_Node | null);
  'nodeService'?: (_roster_registry_v1_Service | null);
  'check'?: (_roster_registry_v1_Check | null);
  'lock'?: (_roster_registry_v1_LockState | null);
  'session'?: (_roster_registry_v1_Session | null);
  'item'?: "instance"|"service"|"node"|"nodeService"|"check"|"lock"|"session";
}

export interface Item__Output {
  'instance'?: (_roster_registry_v1_Instance__Output | null);
  'service'?: (_roster_registry_v1_ServiceSummary__Output | null);
  'node'?: (_roster_registry_v1_Node__Output | null);
  'nodeService'?: (_roster_registry_v1_Service__Output | null);
  'check'?: (_roster_registry_v1_Check__Output | null);
  'lock'?: (_roster_registry_v1_LockState__Output | null);
  'session'?: (_roster_registry_v1_Session__Output | null);
  'item'?: "instance"|"service"|"node"|"nodeService"|"check"|"lock"|"session";
}
