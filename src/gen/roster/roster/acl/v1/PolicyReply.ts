// Original file: proto/roster/acl.proto

import type { Policy as _roster_acl_v1_Policy, Policy__Output as _roster_acl_v1_Policy__Output } from '../../../roster/acl/v1/Policy.js';
import type { Long } from '@grpc/proto-loader';

export interface PolicyReply {
  'policy'?: (_roster_acl_v1_Policy | null);
  'revision'?: (number | string | Long);
}

export interface PolicyReply__Output {
  'policy': (_roster_acl_v1_Policy__Output | null);
  'revision': (number);
}
