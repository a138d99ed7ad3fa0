// Original file: proto/etcd/etcdserverpb/rpc.proto

import type { Long } from '@grpc/proto-loader';

export interface PutRequest {
  'key'?: (Buffer | Uint8Array | string);
  'value'?: (Buffer | Uint8Array | string);
  'lease'?: (number | string | Long);
  'prevKv'?: (boolean);
  'ignoreValue'?: (boolean);
  'ignoreLease'?: (boolean);
}

export interface PutRequest__Output {
  'key': (Buffer);
  'value': (Buffer);
  'lease': (string);
  'prevKv': (boolean);
  'ignoreValue': (boolean);
  'ignoreLease': (boolean);
}
