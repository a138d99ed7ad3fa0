// Original file: proto/roster/registry.proto

import type { Consistency as _roster_registry_v1_Consistency, Consistency__Output as _roster_registry_v1_Consistency__Output } from '../../../roster/registry/v1/Consistency.js';
import type { Long } from '@grpc/proto-loader';

export interface QueryOptions {
  'consistency'?: (_roster_registry_v1_Consistency);
  'maxStaleMs'?: (number | string | Long);
}

export interface QueryOptions__Output {
  'consistency': (_roster_registry_v1_Consistency__Output);
  'maxStaleMs': (string);
}
