// Original file: proto/roster/registry.proto

import type { Long } from '@grpc/proto-loader';

export interface LockState {
  'key'?: (Buffer | Uint8Array | string);
  'value'?: (Buffer | Uint8Array | string);
  'session'?: (string);
  'lockIndex'?: (number | string | Long);
  'modifyRevision'?: (number | string | Long);
  'flags'?: (number | string | Long);
}

export interface LockState__Output {
  'key': (Buffer);
  'value': (Buffer);
  'session': (string);
  'lockIndex': (string);
  'modifyRevision': (string);
  'flags': (string);
}
