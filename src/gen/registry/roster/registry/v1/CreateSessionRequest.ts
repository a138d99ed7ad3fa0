// Original file: proto/roster/registry.proto

import type { SessionBehavior as _roster_registry_v1_SessionBehavior, SessionBehavior__Output as _roster_registry_v1_SessionBehavior__Output } from '../../../roster/registry/v1/SessionBehavior.js';
import type { Long } from '@grpc/proto-loader';

export interface CreateSessionRequest {
  'name'?: (string);
  'node'?: (string);
  'checks'?: (string)[];
  'noChecks'?: (boolean);
  'ttlMs'?: (number | string | Long);
  'behavior'?: (_roster_registry_v1_SessionBehavior);
  'lockDelayMs'?: (number | string | Long);
}

export interface CreateSessionRequest__Output {
  'name': (string);
  'node': (string);
  'checks': (string)[];
  'noChecks': (boolean);
  'ttlMs': (string);
  'behavior': (_roster_registry_v1_SessionBehavior__Output);
  'lockDelayMs': (string);
}
