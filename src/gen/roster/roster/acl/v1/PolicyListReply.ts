// Original file: proto/roster/acl.proto

import type { Policy as _roster_acl_v1_Policy, Policy__Output as _roster_acl_v1_Policy__Output } from '../../../roster/acl/v1/Policy.js';

export interface PolicyListReply {
  'policies'?: (_roster_acl_v1_Policy)[];
}

export interface PolicyListReply__Output {
  'policies': (_roster_acl_v1_Policy__Output)[];
}
