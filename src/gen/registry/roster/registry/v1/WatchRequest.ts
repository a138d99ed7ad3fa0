// Original file: proto/roster/registry.proto

import type { WatchCreate as _roster_registry_v1_WatchCreate, WatchCreate__Output as _roster_registry_v1_WatchCreate__Output } from '../../../roster/registry/v1/WatchCreate.js';
import type { WatchCancel as _roster_registry_v1_WatchCancel, WatchCancel__Output as _roster_registry_v1_WatchCancel__Output } from '../../../roster/registry/v1/WatchCancel.js';

export interface WatchRequest {
  'create'?: (_roster_registry_v1_WatchCreate | null);
  'cancel'?: (_roster_registry_v1_WatchCancel | null);
  'request'?: "create"|"cancel";
}

export interface WatchRequest__Output {
  'create'?: (_roster_registry_v1_WatchCreate__Output | null);
  'cancel'?: (_roster_registry_v1_WatchCancel__Output | null);
  'request'?: "create"|"cancel";
}
