// Original file: proto/roster/registry.proto

import type { Service as _roster_registry_v1_Service, Service__Output as _roster_registry_v1_Service__Output } from '../../../roster/registry/v1/Service.js';
import type { Long } from '@grpc/proto-loader';

export interface ServiceTxnOp {
  'verb'?: (string);
  'node'?: (string);
  'service'?: (_roster_registry_v1_Service | null);
  'index'?: (number | string | Long);
}

export interface ServiceTxnOp__Output {
  'verb': (string);
  'node': (string);
  'service': (_roster_registry_v1_Service__Output | null);
  'index': (string);
}
