// Original file: proto/roster/registry.proto

import type { KvEntry as _roster_registry_v1_KvEntry, KvEntry__Output as _roster_registry_v1_KvEntry__Output } from '../../../roster/registry/v1/KvEntry.js';
import type { Node as _roster_registry_v1_Node, Node__Output as _roster_registry_v1_Node__Output } from '../../../roster/registry/v1/Node.js';
import type { Service as _roster_registry_v1_Service, Service__Output as _roster_registry_v1_Service__Output } from '../../../roster/registry/v1/Service.js';
import type { Check as _roster_registry_v1_Check, Check__Output as _roster_registry_v1_Check__Output } from '../../../roster/registry/v1/Check.js';

export interface TxnResult {
  'kv'?: (_roster_registry_v1_KvEntry | null);
  'node'?: (_roster_registry_v1_Node | null);
  'service'?: (_roster_registry_v1_Service | null);
  'check'?: (_roster_registry_v1_Check | null);
  'result'?: "kv"|"node"|"service"|"check";
}

export interface TxnResult__Output {
  'kv'?: (_roster_registry_v1_KvEntry__Output | null);
  'node'?: (_roster_registry_v1_Node__Output | null);
  'service'?: (_roster_registry_v1_Service__Output | null);
  'check'?: (_roster_registry_v1_Check__Output | null);
  'result'?: "kv"|"node"|"service"|"check";
}
