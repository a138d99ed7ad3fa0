// Original file: proto/roster/registry.proto

import type { Session as _roster_registry_v1_Session, Session__Output as _roster_registry_v1_Session__Output } from '../../../roster/registry/v1/Session.js';
import type { QueryMeta as _roster_registry_v1_QueryMeta, QueryMeta__Output as _roster_registry_v1_QueryMeta__Output } from '../../../roster/registry/v1/QueryMeta.js';

export interface SessionResponse {
  'session'?: (_roster_registry_v1_Session | null);
  'meta'?: (_roster_registry_v1_QueryMeta | null);
}

export interface SessionResponse__Output {
  'session': (_roster_registry_v1_Session__Output | null);
  'meta': (_roster_registry_v1_QueryMeta__Output | null);
}
