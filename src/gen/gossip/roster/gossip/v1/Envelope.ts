// Original file: proto/roster/gossip.proto

import type { News as _roster_gossip_v1_News, News__Output as _roster_gossip_v1_News__Output } from '../../../roster/gossip/v1/News.js';
import type { Ping as _roster_gossip_v1_Ping, Ping__Output as _roster_gossip_v1_Ping__Output } from '../../../roster/gossip/v1/Ping.js';
import type { IndirectPing as _roster_gossip_v1_IndirectPing, IndirectPing__Output as _roster_gossip_v1_IndirectPing__Output } from '../../../roster/gossip/v1/IndirectPing.js';
import type { Ack as _roster_gossip_v1_Ack, Ack__Output as _roster_gossip_v1_Ack__Output } from '../../../roster/gossip/v1/Ack.js';
import type { Nack as _roster_gossip_v1_Nack, Nack__Output as _roster_gossip_v1_Nack__Output } from '../../../roster/gossip/v1/Nack.js';
import type { Gossip as _roster_gossip_v1_Gossip, Gossip__Output as _roster_gossip_v1_Gossip__Output } from '../../../roster/gossip/v1/Gossip.js';
import type { PushPull as _roster_gossip_v1_PushPull, PushPull__Output as _roster_gossip_v1_PushPull__Output } from '../../../roster/gossip/v1/PushPull.js';
import type { KeyringRequest as _roster_gossip_v1_KeyringRequest, KeyringRequest__Output as _roster_gossip_v1_KeyringRequest__Output } from '../../../roster/gossip/v1/KeyringRequest.js';
import type { KeyringReply as _roster_gossip_v1_KeyringReply, KeyringReply__Output as _roster_gossip_v1_KeyringReply__Output } from '../../../roster/gossip/v1/KeyringReply.js';

export interface Envelope {
  'version'?: (number);
  'cluster'?: (string);
  'from'?: (string);
  'news'?: (_roster_gossip_v1_News)[];
  'ping'?: (_roster_gossip_v1_Ping | null);
  'indirectPing'?: (_roster_gossip_v1_IndirectPing | null);
  'ack'?: (_roster_gossip_v1_Ack | null);
  'nack'?: (_roster_gossip_v1_Nack | null);
  'gossip'?: (_roster_gossip_v1_Gossip | null);
  'pushPull'?: (_roster_gossip_v1_PushPull | null);
  'keyringRequest'?: (_roster_gossip_v1_KeyringRequest | null);
  'keyringReply'?: (_roster_gossip_v1_KeyringReply | null);
  'body'?: "ping"|"indirectPing"|"ack"|"nack"|"gossip"|"pushPull"|"keyringRequest"|"keyringReply";
}

export interface Envelope__Output {
  'version': (number);
  'cluster': (string);
  'from': (string);
  'news': (_roster_gossip_v1_News__Output)[];
  'ping'?: (_roster_gossip_v1_Ping__Output | null);
  'indirectPing'?: (_roster_gossip_v1_IndirectPing__Output | null);
  'ack'?: (_roster_gossip_v1_Ack__Output | null);
  'nack'?: (_roster_gossip_v1_Nack__Output | null);
  'gossip'?: (_roster_gossip_v1_Gossip__Output | null);
  'pushPull'?: (_roster_gossip_v1_PushPull__Output | null);
  'keyringRequest'?: (_roster_gossip_v1_KeyringRequest__Output | null);
  'keyringReply'?: (_roster_gossip_v1_KeyringReply__Output | null);
  'body'?: "ping"|"indirectPing"|"ack"|"nack"|"gossip"|"pushPull"|"keyringRequest"|"keyringReply";
}
