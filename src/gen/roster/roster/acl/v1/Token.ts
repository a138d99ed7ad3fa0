// Original file: proto/roster/acl.proto

import type { PolicyLink as _roster_acl_v1_PolicyLink, PolicyLink__Output as _roster_acl_v1_PolicyLink__Output } from '../../../roster/acl/v1/PolicyLink.js';
import type { Long } from '@grpc/proto-loader';

export interface Token {
  'accessorId'?: (string);
  'secretId'?: (string);
  'description'?: (string);
  'policies'?: (_roster_acl_v1_PolicyLink)[];
  'local'?: (boolean);
  'expirationTimeMs'?: (number | string | Long);
  'createIndex'?: (number | string | Long);
  'createTimeMs'?: (number | string | Long);
}

export interface Token__Output {
  'accessorId': (string);
  'secretId': (string);
  'description': (string);
  'policies': (_roster_acl_v1_PolicyLink__Output)[];
  'local': (boolean);
  'expirationTimeMs': (number);
  'createIndex': (number);
  'createTimeMs': (number);
}
