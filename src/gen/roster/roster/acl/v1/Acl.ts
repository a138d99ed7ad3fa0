// Original file: proto/roster/acl.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { AclWriteReply as _roster_acl_v1_AclWriteReply, AclWriteReply__Output as _roster_acl_v1_AclWriteReply__Output } from '../../../roster/acl/v1/AclWriteReply.js';
import type { BootstrapRequest as _roster_acl_v1_BootstrapRequest, BootstrapRequest__Output as _roster_acl_v1_BootstrapRequest__Output } from '../../../roster/acl/v1/BootstrapRequest.js';
import type { ListRequest as _roster_acl_v1_ListRequest, ListRequest__Output as _roster_acl_v1_ListRequest__Output } from '../../../roster/acl/v1/ListRequest.js';
import type { PolicyIdRequest as _roster_acl_v1_PolicyIdRequest, PolicyIdRequest__Output as _roster_acl_v1_PolicyIdRequest__Output } from '../../../roster/acl/v1/PolicyIdRequest.js';
import type { PolicyListReply as _roster_acl_v1_PolicyListReply, PolicyListReply__Output as _roster_acl_v1_PolicyListReply__Output } from '../../../roster/acl/v1/PolicyListReply.js';
import type { PolicyReply as _roster_acl_v1_PolicyReply, PolicyReply__Output as _roster_acl_v1_PolicyReply__Output } from '../../../roster/acl/v1/PolicyReply.js';
import type { PolicyWriteRequest as _roster_acl_v1_PolicyWriteRequest, PolicyWriteRequest__Output as _roster_acl_v1_PolicyWriteRequest__Output } from '../../../roster/acl/v1/PolicyWriteRequest.js';
import type { TokenIdRequest as _roster_acl_v1_TokenIdRequest, TokenIdRequest__Output as _roster_acl_v1_TokenIdRequest__Output } from '../../../roster/acl/v1/TokenIdRequest.js';
import type { TokenListReply as _roster_acl_v1_TokenListReply, TokenListReply__Output as _roster_acl_v1_TokenListReply__Output } from '../../../roster/acl/v1/TokenListReply.js';
import type { TokenReply as _roster_acl_v1_TokenReply, TokenReply__Output as _roster_acl_v1_TokenReply__Output } from '../../../roster/acl/v1/TokenReply.js';
import type { TokenRulesReply as _roster_acl_v1_TokenRulesReply, TokenRulesReply__Output as _roster_acl_v1_TokenRulesReply__Output } from '../../../roster/acl/v1/TokenRulesReply.js';
import type { TokenWriteRequest as _roster_acl_v1_TokenWriteRequest, TokenWriteRequest__Output as _roster_acl_v1_TokenWriteRequest__Output } from '../../../roster/acl/v1/TokenWriteRequest.js';

export interface AclClient extends grpc.Client {
  Bootstrap(argument: _roster_acl_v1_BootstrapRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_acl_v1_TokenReply__Output>): grpc.ClientUnaryCall;
  Bootstrap(argument: _roster_acl_v1_BootstrapRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_acl_v1_TokenReply__Output>): grpc.ClientUnaryCall;
  Bootstrap(argument: _roster_acl_v1_BootstrapRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_acl_v1_TokenReply__Output>): grpc.ClientUnaryCall;
  Bootstrap(argument: _roster_acl_v1_BootstrapRequest, callback: grpc.requestCallback<_roster_acl_v1_TokenReply__Output>): grpc.ClientUnaryCall;
  bootstrap(argument: _roster_acl_v1_BootstrapRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_acl_v1_TokenReply__Output>): grpc.ClientUnaryCall;
  bootstrap(argument: _roster_acl_v1_BootstrapRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_acl_v1_TokenReply__Output>): grpc.ClientUnaryCall;
  bootstrap(argument: _roster_acl_v1_BootstrapRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_acl_v1_TokenReply__Output>): grpc.ClientUnaryCall;
  bootstrap(argument: _roster_acl_v1_BootstrapRequest, callback: grpc.requestCallback<_roster_acl_v1_TokenReply__Output>): grpc.ClientUnaryCall;
  
  PolicyCreate(argument: _roster_acl_v1_PolicyWriteRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_acl_v1_PolicyReply__Output>): grpc.ClientUnaryCall;
  PolicyCreate(argument: _roster_acl_v1_PolicyWriteRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_acl_v1_PolicyReply__Output>): grpc.ClientUnaryCall;
  PolicyCreate(argument: _roster_acl_v1_PolicyWriteRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_acl_v1_PolicyReply__Output>): grpc.ClientUnaryCall;
  PolicyCreate(argument: _roster_acl_v1_PolicyWriteRequest, callback: grpc.requestCallback<_roster_acl_v1_PolicyReply__Output>): grpc.ClientUnaryCall;
  policyCreate(argument: _roster_acl_v1_PolicyWriteRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_acl_v1_PolicyReply__Output>): grpc.ClientUnaryCall;
  policyCreate(argument: _roster_acl_v1_PolicyWriteRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_acl_v1_PolicyReply__Output>): grpc.ClientUnaryCall;
  policyCreate(argument: _roster_acl_v1_PolicyWriteRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_acl_v1_PolicyReply__Output>): grpc.ClientUnaryCall;
  policyCreate(argument: _roster_acl_v1_PolicyWriteRequest, callback: grpc.requestCallback<_roster_acl_v1_PolicyReply__Output>): grpc.ClientUnaryCall;
  
  PolicyDelete(argument: _roster_acl_v1_PolicyIdRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_acl_v1_AclWriteReply__Output>): grpc.ClientUnaryCall;
  PolicyDelete(argument: _roster_acl_v1_PolicyIdRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_acl_v1_AclWriteReply__Output>): grpc.ClientUnaryCall;
  PolicyDelete(argument: _roster_acl_v1_PolicyIdRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_acl_v1_AclWriteReply__Output>): grpc.ClientUnaryCall;
  PolicyDelete(argument: _roster_acl_v1_PolicyIdRequest, callback: grpc.requestCallback<_roster_acl_v1_AclWriteReply__Output>): grpc.ClientUnaryCall;
  policyDelete(argument: _roster_acl_v1_PolicyIdRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_acl_v1_AclWriteReply__Output>): grpc.ClientUnaryCall;
  policyDelete(argument: _roster_acl_v1_PolicyIdRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_acl_v1_AclWriteReply__Output>): grpc.ClientUnaryCall;
  policyDelete(argument: _roster_acl_v1_PolicyIdRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_acl_v1_AclWriteReply__Output>): grpc.ClientUnaryCall;
  policyDelete(argument: _roster_acl_v1_PolicyIdRequest, callback: grpc.requestCallback<_roster_acl_v1_AclWriteReply__Output>): grpc.ClientUnaryCall;
  
  PolicyList(argument: _roster_acl_v1_ListRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_acl_v1_PolicyListReply__Output>): grpc.ClientUnaryCall;
  PolicyList(argument: _roster_acl_v1_ListRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_acl_v1_PolicyListReply__Output>): grpc.ClientUnaryCall;
  PolicyList(argument: _roster_acl_v1_ListRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_acl_v1_PolicyListReply__Output>): grpc.ClientUnaryCall;
  PolicyList(argument: _roster_acl_v1_ListRequest, callback: grpc.requestCallback<_roster_acl_v1_PolicyListReply__Output>): grpc.ClientUnaryCall;
  policyList(argument: _roster_acl_v1_ListRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_acl_v1_PolicyListReply__Output>): grpc.ClientUnaryCall;
  policyList(argument: _roster_acl_v1_ListRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_acl_v1_PolicyListReply__Output>): grpc.ClientUnaryCall;
  policyList(argument: _roster_acl_v1_ListRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_acl_v1_PolicyListReply__Output>): grpc.ClientUnaryCall;
  policyList(argument: _roster_acl_v1_ListRequest, callback: grpc.requestCallback<_roster_acl_v1_PolicyListReply__Output>): grpc.ClientUnaryCall;
  
  PolicyRead(argument: _roster_acl_v1_PolicyIdRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_acl_v1_PolicyReply__Output>): grpc.ClientUnaryCall;
  PolicyRead(argument: _roster_acl_v1_PolicyIdRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_acl_v1_PolicyReply__Output>): grpc.ClientUnaryCall;
  PolicyRead(argument: _roster_acl_v1_PolicyIdRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_acl_v1_PolicyReply__Output>): grpc.ClientUnaryCall;
  PolicyRead(argument: _roster_acl_v1_PolicyIdRequest, callback: grpc.requestCallback<_roster_acl_v1_PolicyReply__Output>): grpc.ClientUnaryCall;
  policyRead(argument: _roster_acl_v1_PolicyIdRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_acl_v1_PolicyReply__Output>): grpc.ClientUnaryCall;
  policyRead(argument: _roster_acl_v1_PolicyIdRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_acl_v1_PolicyReply__Output>): grpc.ClientUnaryCall;
  policyRead(argument: _roster_acl_v1_PolicyIdRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_acl_v1_PolicyReply__Output>): grpc.ClientUnaryCall;
  policyRead(argument: _roster_acl_v1_PolicyIdRequest, callback: grpc.requestCallback<_roster_acl_v1_PolicyReply__Output>): grpc.ClientUnaryCall;
  
  PolicyUpdate(argument: _roster_acl_v1_PolicyWriteRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_acl_v1_PolicyReply__Output>): grpc.ClientUnaryCall;
  PolicyUpdate(argument: _roster_acl_v1_PolicyWriteRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_acl_v1_PolicyReply__Output>): grpc.ClientUnaryCall;
  PolicyUpdate(argument: _roster_acl_v1_PolicyWriteRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_acl_v1_PolicyReply__Output>): grpc.ClientUnaryCall;
  PolicyUpdate(argument: _roster_acl_v1_PolicyWriteRequest, callback: grpc.requestCallback<_roster_acl_v1_PolicyReply__Output>): grpc.ClientUnaryCall;
  policyUpdate(argument: _roster_acl_v1_PolicyWriteRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_acl_v1_PolicyReply__Output>): grpc.ClientUnaryCall;
  policyUpdate(argument: _roster_acl_v1_PolicyWriteRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_acl_v1_PolicyReply__Output>): grpc.ClientUnaryCall;
  policyUpdate(argument: _roster_acl_v1_PolicyWriteRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_acl_v1_PolicyReply__Output>): grpc.ClientUnaryCall;
  policyUpdate(argument: _roster_acl_v1_PolicyWriteRequest, callback: grpc.requestCallback<_roster_acl_v1_PolicyReply__Output>): grpc.ClientUnaryCall;
  
  TokenCreate(argument: _roster_acl_v1_TokenWriteRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_acl_v1_TokenReply__Output>): grpc.ClientUnaryCall;
  TokenCreate(argument: _roster_acl_v1_TokenWriteRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_acl_v1_TokenReply__Output>): grpc.ClientUnaryCall;
  TokenCreate(argument: _roster_acl_v1_TokenWriteRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_acl_v1_TokenReply__Output>): grpc.ClientUnaryCall;
  TokenCreate(argument: _roster_acl_v1_TokenWriteRequest, callback: grpc.requestCallback<_roster_acl_v1_TokenReply__Output>): grpc.ClientUnaryCall;
  tokenCreate(argument: _roster_acl_v1_TokenWriteRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_acl_v1_TokenReply__Output>): grpc.ClientUnaryCall;
  tokenCreate(argument: _roster_acl_v1_TokenWriteRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_acl_v1_TokenReply__Output>): grpc.ClientUnaryCall;
  tokenCreate(argument: _roster_acl_v1_TokenWriteRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_acl_v1_TokenReply__Output>): grpc.ClientUnaryCall;
  tokenCreate(argument: _roster_acl_v1_TokenWriteRequest, callback: grpc.requestCallback<_roster_acl_v1_TokenReply__Output>): grpc.ClientUnaryCall;
  
  TokenDelete(argument: _roster_acl_v1_TokenIdRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_acl_v1_AclWriteReply__Output>): grpc.ClientUnaryCall;
  TokenDelete(argument: _roster_acl_v1_TokenIdRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_acl_v1_AclWriteReply__Output>): grpc.ClientUnaryCall;
  TokenDelete(argument: _roster_acl_v1_TokenIdRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_acl_v1_AclWriteReply__Output>): grpc.ClientUnaryCall;
  TokenDelete(argument: _roster_acl_v1_TokenIdRequest, callback: grpc.requestCallback<_roster_acl_v1_AclWriteReply__Output>): grpc.ClientUnaryCall;
  tokenDelete(argument: _roster_acl_v1_TokenIdRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_acl_v1_AclWriteReply__Output>): grpc.ClientUnaryCall;
  tokenDelete(argument: _roster_acl_v1_TokenIdRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_acl_v1_AclWriteReply__Output>): grpc.ClientUnaryCall;
  tokenDelete(argument: _roster_acl_v1_TokenIdRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_acl_v1_AclWriteReply__Output>): grpc.ClientUnaryCall;
  tokenDelete(argument: _roster_acl_v1_TokenIdRequest, callback: grpc.requestCallback<_roster_acl_v1_AclWriteReply__Output>): grpc.ClientUnaryCall;
  
  TokenList(argument: _roster_acl_v1_ListRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_acl_v1_TokenListReply__Output>): grpc.ClientUnaryCall;
  TokenList(argument: _roster_acl_v1_ListRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_acl_v1_TokenListReply__Output>): grpc.ClientUnaryCall;
  TokenList(argument: _roster_acl_v1_ListRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_acl_v1_TokenListReply__Output>): grpc.ClientUnaryCall;
  TokenList(argument: _roster_acl_v1_ListRequest, callback: grpc.requestCallback<_roster_acl_v1_TokenListReply__Output>): grpc.ClientUnaryCall;
  tokenList(argument: _roster_acl_v1_ListRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_acl_v1_TokenListReply__Output>): grpc.ClientUnaryCall;
  tokenList(argument: _roster_acl_v1_ListRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_acl_v1_TokenListReply__Output>): grpc.ClientUnaryCall;
  tokenList(argument: _roster_acl_v1_ListRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_acl_v1_TokenListReply__Output>): grpc.ClientUnaryCall;
  tokenList(argument: _roster_acl_v1_ListRequest, callback: grpc.requestCallback<_roster_acl_v1_TokenListReply__Output>): grpc.ClientUnaryCall;
  
  TokenRead(argument: _roster_acl_v1_TokenIdRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_acl_v1_TokenReply__Output>): grpc.ClientUnaryCall;
  TokenRead(argument: _roster_acl_v1_TokenIdRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_acl_v1_TokenReply__Output>): grpc.ClientUnaryCall;
  TokenRead(argument: _roster_acl_v1_TokenIdRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_acl_v1_TokenReply__Output>): grpc.ClientUnaryCall;
  TokenRead(argument: _roster_acl_v1_TokenIdRequest, callback: grpc.requestCallback<_roster_acl_v1_TokenReply__Output>): grpc.ClientUnaryCall;
  tokenRead(argument: _roster_acl_v1_TokenIdRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_acl_v1_TokenReply__Output>): grpc.ClientUnaryCall;
  tokenRead(argument: _roster_acl_v1_TokenIdRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_acl_v1_TokenReply__Output>): grpc.ClientUnaryCall;
  tokenRead(argument: _roster_acl_v1_TokenIdRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_acl_v1_TokenReply__Output>): grpc.ClientUnaryCall;
  tokenRead(argument: _roster_acl_v1_TokenIdRequest, callback: grpc.requestCallback<_roster_acl_v1_TokenReply__Output>): grpc.ClientUnaryCall;
  
  TokenReadSelf(argument: _roster_acl_v1_ListRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_acl_v1_TokenReply__Output>): grpc.ClientUnaryCall;
  TokenReadSelf(argument: _roster_acl_v1_ListRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_acl_v1_TokenReply__Output>): grpc.ClientUnaryCall;
  TokenReadSelf(argument: _roster_acl_v1_ListRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_acl_v1_TokenReply__Output>): grpc.ClientUnaryCall;
  TokenReadSelf(argument: _roster_acl_v1_ListRequest, callback: grpc.requestCallback<_roster_acl_v1_TokenReply__Output>): grpc.ClientUnaryCall;
  tokenReadSelf(argument: _roster_acl_v1_ListRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_acl_v1_TokenReply__Output>): grpc.ClientUnaryCall;
  tokenReadSelf(argument: _roster_acl_v1_ListRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_acl_v1_TokenReply__Output>): grpc.ClientUnaryCall;
  tokenReadSelf(argument: _roster_acl_v1_ListRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_acl_v1_TokenReply__Output>): grpc.ClientUnaryCall;
  tokenReadSelf(argument: _roster_acl_v1_ListRequest, callback: grpc.requestCallback<_roster_acl_v1_TokenReply__Output>): grpc.ClientUnaryCall;
  
  TokenRules(argument: _roster_acl_v1_ListRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_acl_v1_TokenRulesReply__Output>): grpc.ClientUnaryCall;
  TokenRules(argument: _roster_acl_v1_ListRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_acl_v1_TokenRulesReply__Output>): grpc.ClientUnaryCall;
  TokenRules(argument: _roster_acl_v1_ListRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_acl_v1_TokenRulesReply__Output>): grpc.ClientUnaryCall;
  TokenRules(argument: _roster_acl_v1_ListRequest, callback: grpc.requestCallback<_roster_acl_v1_TokenRulesReply__Output>): grpc.ClientUnaryCall;
  tokenRules(argument: _roster_acl_v1_ListRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_acl_v1_TokenRulesReply__Output>): grpc.ClientUnaryCall;
  tokenRules(argument: _roster_acl_v1_ListRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_acl_v1_TokenRulesReply__Output>): grpc.ClientUnaryCall;
  tokenRules(argument: _roster_acl_v1_ListRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_acl_v1_TokenRulesReply__Output>): grpc.ClientUnaryCall;
  tokenRules(argument: _roster_acl_v1_ListRequest, callback: grpc.requestCallback<_roster_acl_v1_TokenRulesReply__Output>): grpc.ClientUnaryCall;
  
  TokenUpdate(argument: _roster_acl_v1_TokenWriteRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_acl_v1_TokenReply__Output>): grpc.ClientUnaryCall;
  TokenUpdate(argument: _roster_acl_v1_TokenWriteRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_acl_v1_TokenReply__Output>): grpc.ClientUnaryCall;
  TokenUpdate(argument: _roster_acl_v1_TokenWriteRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_acl_v1_TokenReply__Output>): grpc.ClientUnaryCall;
  TokenUpdate(argument: _roster_acl_v1_TokenWriteRequest, callback: grpc.requestCallback<_roster_acl_v1_TokenReply__Output>): grpc.ClientUnaryCall;
  tokenUpdate(argument: _roster_acl_v1_TokenWriteRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_acl_v1_TokenReply__Output>): grpc.ClientUnaryCall;
  tokenUpdate(argument: _roster_acl_v1_TokenWriteRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_roster_acl_v1_TokenReply__Output>): grpc.ClientUnaryCall;
  tokenUpdate(argument: _roster_acl_v1_TokenWriteRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_roster_acl_v1_TokenReply__Output>): grpc.ClientUnaryCall;
  tokenUpdate(argument: _roster_acl_v1_TokenWriteRequest, callback: grpc.requestCallback<_roster_acl_v1_TokenReply__Output>): grpc.ClientUnaryCall;
  
}

export interface AclHandlers extends grpc.UntypedServiceImplementation {
  Bootstrap: grpc.handleUnaryCall<_roster_acl_v1_BootstrapRequest__Output, _roster_acl_v1_TokenReply>;
  
  PolicyCreate: grpc.handleUnaryCall<_roster_acl_v1_PolicyWriteRequest__Output, _roster_acl_v1_PolicyReply>;
  
  PolicyDelete: grpc.handleUnaryCall<_roster_acl_v1_PolicyIdRequest__Output, _roster_acl_v1_AclWriteReply>;
  
  PolicyList: grpc.handleUnaryCall<_roster_acl_v1_ListRequest__Output, _roster_acl_v1_PolicyListReply>;
  
  PolicyRead: grpc.handleUnaryCall<_roster_acl_v1_PolicyIdRequest__Output, _roster_acl_v1_PolicyReply>;
  
  PolicyUpdate: grpc.handleUnaryCall<_roster_acl_v1_PolicyWriteRequest__Output, _roster_acl_v1_PolicyReply>;
  
  TokenCreate: grpc.handleUnaryCall<_roster_acl_v1_TokenWriteRequest__Output, _roster_acl_v1_TokenReply>;
  
  TokenDelete: grpc.handleUnaryCall<_roster_acl_v1_TokenIdRequest__Output, _roster_acl_v1_AclWriteReply>;
  
  TokenList: grpc.handleUnaryCall<_roster_acl_v1_ListRequest__Output, _roster_acl_v1_TokenListReply>;
  
  TokenRead: grpc.handleUnaryCall<_roster_acl_v1_TokenIdRequest__Output, _roster_acl_v1_TokenReply>;
  
  TokenReadSelf: grpc.handleUnaryCall<_roster_acl_v1_ListRequest__Output, _roster_acl_v1_TokenReply>;
  
  TokenRules: grpc.handleUnaryCall<_roster_acl_v1_ListRequest__Output, _roster_acl_v1_TokenRulesReply>;
  
  TokenUpdate: grpc.handleUnaryCall<_roster_acl_v1_TokenWriteRequest__Output, _roster_acl_v1_TokenReply>;
  
}

export interface AclDefinition extends grpc.ServiceDefinition {
  Bootstrap: MethodDefinition<_roster_acl_v1_BootstrapRequest, _roster_acl_v1_TokenReply, _roster_acl_v1_BootstrapRequest__Output, _roster_acl_v1_TokenReply__Output>
  PolicyCreate: MethodDefinition<_roster_acl_v1_PolicyWriteRequest, _roster_acl_v1_PolicyReply, _roster_acl_v1_PolicyWriteRequest__Output, _roster_acl_v1_PolicyReply__Output>
  PolicyDelete: MethodDefinition<_roster_acl_v1_PolicyIdRequest, _roster_acl_v1_AclWriteReply, _roster_acl_v1_PolicyIdRequest__Output, _roster_acl_v1_AclWriteReply__Output>
  PolicyList: MethodDefinition<_roster_acl_v1_ListRequest, _roster_acl_v1_PolicyListReply, _roster_acl_v1_ListRequest__Output, _roster_acl_v1_PolicyListReply__Output>
  PolicyRead: MethodDefinition<_roster_acl_v1_PolicyIdRequest, _roster_acl_v1_PolicyReply, _roster_acl_v1_PolicyIdRequest__Output, _roster_acl_v1_PolicyReply__Output>
  PolicyUpdate: MethodDefinition<_roster_acl_v1_PolicyWriteRequest, _roster_acl_v1_PolicyReply, _roster_acl_v1_PolicyWriteRequest__Output, _roster_acl_v1_PolicyReply__Output>
  TokenCreate: MethodDefinition<_roster_acl_v1_TokenWriteRequest, _roster_acl_v1_TokenReply, _roster_acl_v1_TokenWriteRequest__Output, _roster_acl_v1_TokenReply__Output>
  TokenDelete: MethodDefinition<_roster_acl_v1_TokenIdRequest, _roster_acl_v1_AclWriteReply, _roster_acl_v1_TokenIdRequest__Output, _roster_acl_v1_AclWriteReply__Output>
  TokenList: MethodDefinition<_roster_acl_v1_ListRequest, _roster_acl_v1_TokenListReply, _roster_acl_v1_ListRequest__Output, _roster_acl_v1_TokenListReply__Output>
  TokenRead: MethodDefinition<_roster_acl_v1_TokenIdRequest, _roster_acl_v1_TokenReply, _roster_acl_v1_TokenIdRequest__Output, _roster_acl_v1_TokenReply__Output>
  TokenReadSelf: MethodDefinition<_roster_acl_v1_ListRequest, _roster_acl_v1_TokenReply, _roster_acl_v1_ListRequest__Output, _roster_acl_v1_TokenReply__Output>
  TokenRules: MethodDefinition<_roster_acl_v1_ListRequest, _roster_acl_v1_TokenRulesReply, _roster_acl_v1_ListRequest__Output, _roster_acl_v1_TokenRulesReply__Output>
  TokenUpdate: MethodDefinition<_roster_acl_v1_TokenWriteRequest, _roster_acl_v1_TokenReply, _roster_acl_v1_TokenWriteRequest__Output, _roster_acl_v1_TokenReply__Output>
}
