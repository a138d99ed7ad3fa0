// Original file: proto/etcd/etcdserverpb/rpc.proto


export interface DeleteRangeRequest {
  'key'?: (Buffer | Uint8Array | string);
  'rangeEnd'?: (Buffer | Uint8Array | string);
  'prevKv'?: (boolean);
}

export interface DeleteRangeRequest__Output {
  'key': (Buffer);
  'rangeEnd': (Buffer);
  'prevKv': (boolean);
}
