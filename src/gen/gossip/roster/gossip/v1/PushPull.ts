// Original file: proto/roster/gossip.proto

import type { MemberRecord as _roster_gossip_v1_MemberRecord, MemberRecord__Output as _roster_gossip_v1_MemberRecord__Output } from '../../../roster/gossip/v1/MemberRecord.js';

export interface PushPull {
  'join'?: (boolean);
  'reply'?: (boolean);
  'members'?: (_roster_gossip_v1_MemberRecord)[];
}

export interface PushPull__Output {
  'join': (boolean);
  'reply': (boolean);
  'members': (_roster_gossip_v1_MemberRecord__Output)[];
}
