// Original file: proto/roster/operator.proto

import type { Long } from '@grpc/proto-loader';

export interface GossipMember {
  'name'?: (string);
  'addr'?: (string);
  'status'?: (string);
  'role'?: (string);
  'incarnation'?: (number | string | Long);
  'datacenter'?: (string);
  'rpcAddr'?: (string);
  'apiAddr'?: (string);
  'version'?: (string);
}

export interface GossipMember__Output {
  'name': (string);
  'addr': (string);
  'status': (string);
  'role': (string);
  'incarnation': (number);
  'datacenter': (string);
  'rpcAddr': (string);
  'apiAddr': (string);
  'version': (string);
}
