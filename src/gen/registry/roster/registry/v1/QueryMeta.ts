// Original file: proto/roster/registry.proto

import type { Long } from '@grpc/proto-loader';

export interface QueryMeta {
  'revision'?: (number | string | Long);
  'index'?: (number | string | Long);
  'servedBy'?: (string);
  'knownLeader'?: (string);
  'lastContactMs'?: (number | string | Long);
  'stale'?: (boolean);
}

export interface QueryMeta__Output {
  'revision': (string);
  'index': (string);
  'servedBy': (string);
  'knownLeader': (string);
  'lastContactMs': (string);
  'stale': (boolean);
}
