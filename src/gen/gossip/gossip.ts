// @ts-nocheck generated loader typings
import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { Ack as _roster_gossip_v1_Ack, Ack__Output as _roster_gossip_v1_Ack__Output } from './roster/gossip/v1/Ack.js';
import type { Envelope as _roster_gossip_v1_Envelope, Envelope__Output as _roster_gossip_v1_Envelope__Output } from './roster/gossip/v1/Envelope.js';
import type { Gossip as _roster_gossip_v1_Gossip, Gossip__Output as _roster_gossip_v1_Gossip__Output } from './roster/gossip/v1/Gossip.js';
import type { IndirectPing as _roster_gossip_v1_IndirectPing, IndirectPing__Output as _roster_gossip_v1_IndirectPing__Output } from './roster/gossip/v1/IndirectPing.js';
import type { KeyringReply as _roster_gossip_v1_KeyringReply, KeyringReply__Output as _roster_gossip_v1_KeyringReply__Output } from './roster/gossip/v1/KeyringReply.js';
import type { KeyringRequest as _roster_gossip_v1_KeyringRequest, KeyringRequest__Output as _roster_gossip_v1_KeyringRequest__Output } from './roster/gossip/v1/KeyringRequest.js';
import type { MemberRecord as _roster_gossip_v1_MemberRecord, MemberRecord__Output as _roster_gossip_v1_MemberRecord__Output } from './roster/gossip/v1/MemberRecord.js';
import type { Meta as _roster_gossip_v1_Meta, Meta__Output as _roster_gossip_v1_Meta__Output } from './roster/gossip/v1/Meta.js';
import type { Nack as _roster_gossip_v1_Nack, Nack__Output as _roster_gossip_v1_Nack__Output } from './roster/gossip/v1/Nack.js';
import type { News as _roster_gossip_v1_News, News__Output as _roster_gossip_v1_News__Output } from './roster/gossip/v1/News.js';
import type { Ping as _roster_gossip_v1_Ping, Ping__Output as _roster_gossip_v1_Ping__Output } from './roster/gossip/v1/Ping.js';
import type { PushPull as _roster_gossip_v1_PushPull, PushPull__Output as _roster_gossip_v1_PushPull__Output } from './roster/gossip/v1/PushPull.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  roster: {
    gossip: {
      v1: {
        Ack: MessageTypeDefinition<_roster_gossip_v1_Ack, _roster_gossip_v1_Ack__Output>
        Envelope: MessageTypeDefinition<_roster_gossip_v1_Envelope, _roster_gossip_v1_Envelope__Output>
        Gossip: MessageTypeDefinition<_roster_gossip_v1_Gossip, _roster_gossip_v1_Gossip__Output>
        IndirectPing: MessageTypeDefinition<_roster_gossip_v1_IndirectPing, _roster_gossip_v1_IndirectPing__Output>
        KeyringReply: MessageTypeDefinition<_roster_gossip_v1_KeyringReply, _roster_gossip_v1_KeyringReply__Output>
        KeyringRequest: MessageTypeDefinition<_roster_gossip_v1_KeyringRequest, _roster_gossip_v1_KeyringRequest__Output>
        MemberRecord: MessageTypeDefinition<_roster_gossip_v1_MemberRecord, _roster_gossip_v1_MemberRecord__Output>
        Meta: MessageTypeDefinition<_roster_gossip_v1_Meta, _roster_gossip_v1_Meta__Output>
        Nack: MessageTypeDefinition<_roster_gossip_v1_Nack, _roster_gossip_v1_Nack__Output>
        News: MessageTypeDefinition<_roster_gossip_v1_News, _roster_gossip_v1_News__Output>
        Ping: MessageTypeDefinition<_roster_gossip_v1_Ping, _roster_gossip_v1_Ping__Output>
        PushPull: MessageTypeDefinition<_roster_gossip_v1_PushPull, _roster_gossip_v1_PushPull__Output>
      }
    }
  }
}

