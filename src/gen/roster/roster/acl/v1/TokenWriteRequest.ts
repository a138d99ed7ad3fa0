// Original file: proto/roster/acl.proto

import type { PolicyLink as _roster_acl_v1_PolicyLink, PolicyLink__Output as _roster_acl_v1_PolicyLink__Output } from '../../../roster/acl/v1/PolicyLink.js';
import type { Long } from '@grpc/proto-loader';

export interface TokenWriteRequest {
  'accessorId'?: (string);
  'secretId'?: (string);
  'description'?: (string);
  'policies'?: (_roster_acl_v1_PolicyLink)[];
  'local'?: (boolean);
  'expirationTtlMs'?: (number | string | Long);
}

export interface TokenWriteRequest__Output {
  'accessorId': (string);
  'secretId': (string);
  'description': (string);
  'policies': (_roster_acl_v1_PolicyLink__Output)[];
  'local': (boolean);
  'expirationTtlMs': (number);
}
