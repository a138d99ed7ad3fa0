// Original file: proto/roster/registry.proto

import type { SessionBehavior as _roster_registry_v1_SessionBehavior, SessionBehavior__Output as _roster_registry_v1_SessionBehavior__Output } from '../../../roster/registry/v1/SessionBehavior.js';
import type { Long } from '@grpc/proto-loader';

export interface Session {
  'id'?: (string);
  'name'?: (string);
  'node'?: (string);
  'checks'?: (string)[];
  'ttlMs'?: (number | string | Long);
  'behavior'?: (_roster_registry_v1_SessionBehavior);
  'lockDelayMs'?: (number | string | Long);
  'createRevision'?: (number | string | Long);
  'modifyRevision'?: (number | string | Long);
}

export interface Session__Output {
  'id': (string);
  'name': (string);
  'node': (string);
  'checks': (string)[];
  'ttlMs': (string);
  'behavior': (_roster_registry_v1_SessionBehavior__Output);
  'lockDelayMs': (string);
  'createRevision': (string);
  'modifyRevision': (string);
}
