// Original file: proto/roster/registry.proto

import type { Node as _roster_registry_v1_Node, Node__Output as _roster_registry_v1_Node__Output } from '../../../roster/registry/v1/Node.js';
import type { Long } from '@grpc/proto-loader';

export interface NodeTxnOp {
  'verb'?: (string);
  'node'?: (_roster_registry_v1_Node | null);
  'index'?: (number | string | Long);
}

export interface NodeTxnOp__Output {
  'verb': (string);
  'node': (_roster_registry_v1_Node__Output | null);
  'index': (string);
}
