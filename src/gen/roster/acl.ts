// @ts-nocheck generated loader typings
import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { AclClient as _roster_acl_v1_AclClient, AclDefinition as _roster_acl_v1_AclDefinition } from './roster/acl/v1/Acl.js';
import type { AclWriteReply as _roster_acl_v1_AclWriteReply, AclWriteReply__Output as _roster_acl_v1_AclWriteReply__Output } from './roster/acl/v1/AclWriteReply.js';
import type { BootstrapRequest as _roster_acl_v1_BootstrapRequest, BootstrapRequest__Output as _roster_acl_v1_BootstrapRequest__Output } from './roster/acl/v1/BootstrapRequest.js';
import type { ListRequest as _roster_acl_v1_ListRequest, ListRequest__Output as _roster_acl_v1_ListRequest__Output } from './roster/acl/v1/ListRequest.js';
import type { Policy as _roster_acl_v1_Policy, Policy__Output as _roster_acl_v1_Policy__Output } from './roster/acl/v1/Policy.js';
import type { PolicyIdRequest as _roster_acl_v1_PolicyIdRequest, PolicyIdRequest__Output as _roster_acl_v1_PolicyIdRequest__Output } from './roster/acl/v1/PolicyIdRequest.js';
import type { PolicyLink as _roster_acl_v1_PolicyLink, PolicyLink__Output as _roster_acl_v1_PolicyLink__Output } from './roster/acl/v1/PolicyLink.js';
import type { PolicyListReply as _roster_acl_v1_PolicyListReply, PolicyListReply__Output as _roster_acl_v1_PolicyListReply__Output } from './roster/acl/v1/PolicyListReply.js';
import type { PolicyReply as _roster_acl_v1_PolicyReply, PolicyReply__Output as _roster_acl_v1_PolicyReply__Output } from './roster/acl/v1/PolicyReply.js';
import type { PolicyWriteRequest as _roster_acl_v1_PolicyWriteRequest, PolicyWriteRequest__Output as _roster_acl_v1_PolicyWriteRequest__Output } from './roster/acl/v1/PolicyWriteRequest.js';
import type { Token as _roster_acl_v1_Token, Token__Output as _roster_acl_v1_Token__Output } from './roster/acl/v1/Token.js';
import type { TokenIdRequest as _roster_acl_v1_TokenIdRequest, TokenIdRequest__Output as _roster_acl_v1_TokenIdRequest__Output } from './roster/acl/v1/TokenIdRequest.js';
import type { TokenListReply as _roster_acl_v1_TokenListReply, TokenListReply__Output as _roster_acl_v1_TokenListReply__Output } from './roster/acl/v1/TokenListReply.js';
import type { TokenReply as _roster_acl_v1_TokenReply, TokenReply__Output as _roster_acl_v1_TokenReply__Output } from './roster/acl/v1/TokenReply.js';
import type { TokenRulesReply as _roster_acl_v1_TokenRulesReply, TokenRulesReply__Output as _roster_acl_v1_TokenRulesReply__Output } from './roster/acl/v1/TokenRulesReply.js';
import type { TokenWriteRequest as _roster_acl_v1_TokenWriteRequest, TokenWriteRequest__Output as _roster_acl_v1_TokenWriteRequest__Output } from './roster/acl/v1/TokenWriteRequest.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  roster: {
    acl: {
      v1: {
        Acl: SubtypeConstructor<typeof grpc.Client, _roster_acl_v1_AclClient> & { service: _roster_acl_v1_AclDefinition }
        AclWriteReply: MessageTypeDefinition<_roster_acl_v1_AclWriteReply, _roster_acl_v1_AclWriteReply__Output>
        BootstrapRequest: MessageTypeDefinition<_roster_acl_v1_BootstrapRequest, _roster_acl_v1_BootstrapRequest__Output>
        ListRequest: MessageTypeDefinition<_roster_acl_v1_ListRequest, _roster_acl_v1_ListRequest__Output>
        Policy: MessageTypeDefinition<_roster_acl_v1_Policy, _roster_acl_v1_Policy__Output>
        PolicyIdRequest: MessageTypeDefinition<_roster_acl_v1_PolicyIdRequest, _roster_acl_v1_PolicyIdRequest__Output>
        PolicyLink: MessageTypeDefinition<_roster_acl_v1_PolicyLink, _roster_acl_v1_PolicyLink__Output>
        PolicyListReply: MessageTypeDefinition<_roster_acl_v1_PolicyListReply, _roster_acl_v1_PolicyListReply__Output>
        PolicyReply: MessageTypeDefinition<_roster_acl_v1_PolicyReply, _roster_acl_v1_PolicyReply__Output>
        PolicyWriteRequest: MessageTypeDefinition<_roster_acl_v1_PolicyWriteRequest, _roster_acl_v1_PolicyWriteRequest__Output>
        Token: MessageTypeDefinition<_roster_acl_v1_Token, _roster_acl_v1_Token__Output>
        TokenIdRequest: MessageTypeDefinition<_roster_acl_v1_TokenIdRequest, _roster_acl_v1_TokenIdRequest__Output>
        TokenListReply: MessageTypeDefinition<_roster_acl_v1_TokenListReply, _roster_acl_v1_TokenListReply__Output>
        TokenReply: MessageTypeDefinition<_roster_acl_v1_TokenReply, _roster_acl_v1_TokenReply__Output>
        TokenRulesReply: MessageTypeDefinition<_roster_acl_v1_TokenRulesReply, _roster_acl_v1_TokenRulesReply__Output>
        TokenWriteRequest: MessageTypeDefinition<_roster_acl_v1_TokenWriteRequest, _roster_acl_v1_TokenWriteRequest__Output>
      }
    }
  }
}

