// Original file: proto/roster/registry.proto

import type { Long } from '@grpc/proto-loader';

export interface KvEntry {
  'key'?: (Buffer | Uint8Array | string);
  'value'?: (Buffer | Uint8Array | string);
  'hasValue'?: (boolean);
  'flags'?: (number | string | Long);
  'lockIndex'?: (number | string | Long);
  'session'?: (string);
  'createRevision'?: (number | string | Long);
  'modifyRevision'?: (number | string | Long);
}

export interface KvEntry__Output {
  'key': (Buffer);
  'value': (Buffer);
  'hasValue': (boolean);
  'flags': (string);
  'lockIndex': (string);
  'session': (string);
  'createRevision': (string);
  'modifyRevision': (string);
}
