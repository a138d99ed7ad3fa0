// Original file: proto/roster/registry.proto

import type { Long } from '@grpc/proto-loader';

export interface KvTxnOp {
  'verb'?: (string);
  'key'?: (Buffer | Uint8Array | string);
  'value'?: (Buffer | Uint8Array | string);
  'flags'?: (number | string | Long);
  'index'?: (number | string | Long);
  'session'?: (string);
}

export interface KvTxnOp__Output {
  'verb': (string);
  'key': (Buffer);
  'value': (Buffer);
  'flags': (string);
  'index': (string);
  'session': (string);
}
