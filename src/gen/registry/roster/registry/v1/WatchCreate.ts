// Original file: proto/roster/registry.proto

import type { ServiceHealthTarget as _roster_registry_v1_ServiceHealthTarget, ServiceHealthTarget__Output as _roster_registry_v1_ServiceHealthTarget__Output } from '../../../roster/registry/v1/ServiceHealthTarget.js';
import type { ServicesTarget as _roster_registry_v1_ServicesTarget, ServicesTarget__Output as _roster_registry_v1_ServicesTarget__Output } from '../../../roster/registry/v1/ServicesTarget.js';
import type { NodeTarget as _roster_registry_v1_NodeTarget, NodeTarget__Output as _roster_registry_v1_NodeTarget__Output } from '../../../roster/registry/v1/NodeTarget.js';
import type { ChecksTarget as _roster_registry_v1_ChecksTarget, ChecksTarget__Output as _roster_registry_v1_ChecksTarget__Output } from '../../../roster/registry/v1/ChecksTarget.js';
import type { LockTarget as _roster_registry_v1_LockTarget, LockTarget__Output as _roster_registry_v1_LockTarget__Output } from '../../../roster/registry/v1/LockTarget.js';
import type { NodesTarget as _roster_registry_v1_NodesTarget, NodesTarget__Output as _roster_registry_v1_NodesTarget__Output } from '../../../roster/registry/v1/NodesTarget.js';
import type { SessionsTarget as _roster_registry_v1_SessionsTarget, SessionsTarget__Output as _roster_registry_v1_SessionsTarget__Output } from '../../../roster/registry/v1/SessionsTarget.js';
import type { Long } from '@grpc/proto-loader';

export interface WatchCreate {
  'watchId'?: (number | string | Long);
  'service'?: (_roster_registry_v1_ServiceHealthTarget | null);
  'services'?: (_roster_registry_v1_ServicesTarget | null);
  'node'?: (_roster_registry_v1_NodeTarget | null);
  'checks'?: (_roster_registry_v1_ChecksTarget | null);
  'lock'?: (_roster_registry_v1_LockTarget | null);
  'afterRevision'?: (number | string | Long);
  'allowStale'?: (boolean);
  'progressIntervalMs'?: (number | string | Long);
  'nodes'?: (_roster_registry_v1_NodesTarget | null);
  'sessions'?: (_roster_registry_v1_SessionsTarget | null);
  'target'?: "service"|"services"|"node"|"checks"|"lock"|"nodes"|"sessions";
}

export interface WatchCreate__Output {
  'watchId': (string);
  'service'?: (_roster_registry_v1_ServiceHealthTarget__Output | null);
  'services'?: (_roster_registry_v1_ServicesTarget__Output | null);
  'node'?: (_roster_registry_v1_NodeTarget__Output | null);
  'checks'?: (_roster_registry_v1_ChecksTarget__Output | null);
  'lock'?: (_roster_registry_v1_LockTarget__Output | null);
  'afterRevision': (string);
  'allowStale': (boolean);
  'progressIntervalMs': (string);
  'nodes'?: (_roster_registry_v1_NodesTarget__Output | null);
  'sessions'?: (_roster_registry_v1_SessionsTarget__Output | null);
  'target'?: "service"|"services"|"node"|"checks"|"lock"|"nodes"|"sessions";
}
