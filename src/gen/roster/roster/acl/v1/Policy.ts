// Original file: proto/roster/acl.proto

import type { Long } from '@grpc/proto-loader';

export interface Policy {
  'id'?: (string);
  'name'?: (string);
  'description'?: (string);
  'rules'?: (string);
  'createIndex'?: (number | string | Long);
}

export interface Policy__Output {
  'id': (string);
  'name': (string);
  'description': (string);
  'rules': (string);
  'createIndex': (number);
}
