// Original file: proto/roster/gossip.proto

import type { Meta as _roster_gossip_v1_Meta, Meta__Output as _roster_gossip_v1_Meta__Output } from '../../../roster/gossip/v1/Meta.js';
import type { Long } from '@grpc/proto-loader';

export interface MemberRecord {
  'name'?: (string);
  'addr'?: (string);
  'incarnation'?: (number | string | Long);
  'state'?: (string);
  'meta'?: (_roster_gossip_v1_Meta | null);
}

export interface MemberRecord__Output {
  'name': (string);
  'addr': (string);
  'incarnation': (number);
  'state': (string);
  'meta': (_roster_gossip_v1_Meta__Output | null);
}
