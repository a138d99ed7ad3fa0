// Original file: proto/etcd/etcdserverpb/rpc.proto

import type { WatchCreateRequest as _etcdserverpb_WatchCreateRequest, WatchCreateRequest__Output as _etcdserverpb_WatchCreateRequest__Output } from '../etcdserverpb/WatchCreateRequest.js';
import type { WatchCancelRequest as _etcdserverpb_WatchCancelRequest, WatchCancelRequest__Output as _etcdserverpb_WatchCancelRequest__Output } from '../etcdserverpb/WatchCancelRequest.js';
import type { WatchProgressRequest as _etcdserverpb_WatchProgressRequest, WatchProgressRequest__Output as _etcdserverpb_WatchProgressRequest__Output } from '../etcdserverpb/WatchProgressRequest.js';

export interface WatchRequest {
  'createRequest'?: (_etcdserverpb_WatchCreateRequest | null);
  'cancelRequest'?: (_etcdserverpb_WatchCancelRequest | null);
  'progressRequest'?: (_etcdserverpb_WatchProgressRequest | null);
  'requestUnion'?: "createRequest"|"cancelRequest"|"progressRequest";
}

export interface WatchRequest__Output {
  'createRequest'?: (_etcdserverpb_WatchCreateRequest__Output | null);
  'cancelRequest'?: (_etcdserverpb_WatchCancelRequest__Output | null);
  'progressRequest'?: (_etcdserverpb_WatchProgressRequest__Output | null);
  'requestUnion'?: "createRequest"|"cancelRequest"|"progressRequest";
}
