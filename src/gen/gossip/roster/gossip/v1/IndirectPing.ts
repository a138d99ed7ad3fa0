// Original file: proto/roster/gossip.proto

import type { Long } from '@grpc/proto-loader';

export interface IndirectPing {
  'seq'?: (number | string | Long);
  'target'?: (string);
  'targetAddr'?: (string);
  'wantNack'?: (boolean);
}

export interface IndirectPing__Output {
  'seq': (number);
  'target': (string);
  'targetAddr': (string);
  'wantNack': (boolean);
}
