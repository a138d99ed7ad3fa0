// Original file: proto/roster/gossip.proto

import type { Long } from '@grpc/proto-loader';

export interface Nack {
  'seq'?: (number | string | Long);
}

export interface Nack__Output {
  'seq': (number);
}
