// Original file: proto/roster/acl.proto

import type { Token as _roster_acl_v1_Token, Token__Output as _roster_acl_v1_Token__Output } from '../../../roster/acl/v1/Token.js';

export interface TokenListReply {
  'tokens'?: (_roster_acl_v1_Token)[];
}

export interface TokenListReply__Output {
  'tokens': (_roster_acl_v1_Token__Output)[];
}
