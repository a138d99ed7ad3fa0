// Original file: proto/roster/registry.proto

import type { Change as _roster_registry_v1_Change, Change__Output as _roster_registry_v1_Change__Output } from '../../../roster/registry/v1/Change.js';
import type { Long } from '@grpc/proto-loader';

// Original file: proto/roster/registry.proto

export const _roster_registry_v1_WatchResponse_Kind = {
  SNAPSHOT: 'SNAPSHOT',
  CHANGES: 'CHANGES',
  PROGRESS: 'PROGRESS',
  CANCELED: 'CANCELED',
} as const;

export type _roster_registry_v1_WatchResponse_Kind =
  | 'SNAPSHOT'
  | 0
  | 'CHANGES'
  | 1
  | 'PROGRESS'
  | 2
  | 'CANCELED'
  | 3

export type _roster_registry_v1_WatchResponse_Kind__Output = typeof _roster_registry_v1_WatchResponse_Kind[keyof typeof _roster_registry_v1_WatchResponse_Kind]

export interface WatchResponse {
  'watchId'?: (number | string | Long);
  'kind'?: (_roster_registry_v1_WatchResponse_Kind);
  'revision'?: (number | string | Long);
  'changes'?: (_roster_registry_v1_Change)[];
  'stale'?: (boolean);
  'compactRevision'?: (number | string | Long);
  'cancelReason'?: (string);
  'lastContactMs'?: (number | string | Long);
}

export interface WatchResponse__Output {
  'watchId': (string);
  'kind': (_roster_registry_v1_WatchResponse_Kind__Output);
  'revision': (string);
  'changes': (_roster_registry_v1_Change__Output)[];
  'stale': (boolean);
  'compactRevision': (string);
  'cancelReason': (string);
  'lastContactMs': (string);
}
