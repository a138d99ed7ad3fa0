// Original file: proto/roster/gossip.proto

import type { Meta as _roster_gossip_v1_Meta, Meta__Output as _roster_gossip_v1_Meta__Output } from '../../../roster/gossip/v1/Meta.js';
import type { Long } from '@grpc/proto-loader';

// Original file: proto/roster/gossip.proto

export const _roster_gossip_v1_News_Kind = {
  ALIVE: 0,
  SUSPECT: 1,
  DEAD: 2,
} as const;

export type _roster_gossip_v1_News_Kind =
  | 'ALIVE'
  | 0
  | 'SUSPECT'
  | 1
  | 'DEAD'
  | 2

export type _roster_gossip_v1_News_Kind__Output = typeof _roster_gossip_v1_News_Kind[keyof typeof _roster_gossip_v1_News_Kind]

export interface News {
  'kind'?: (_roster_gossip_v1_News_Kind);
  'name'?: (string);
  'incarnation'?: (number | string | Long);
  'addr'?: (string);
  'meta'?: (_roster_gossip_v1_Meta | null);
  'from'?: (string);
}

export interface News__Output {
  'kind': (_roster_gossip_v1_News_Kind__Output);
  'name': (string);
  'incarnation': (number);
  'addr': (string);
  'meta': (_roster_gossip_v1_Meta__Output | null);
  'from': (string);
}
