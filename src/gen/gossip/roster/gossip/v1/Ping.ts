// Original file: proto/roster/gossip.proto

import type { Long } from '@grpc/proto-loader';

export interface Ping {
  'seq'?: (number | string | Long);
  'target'?: (string);
}

export interface Ping__Output {
  'seq': (number);
  'target': (string);
}
