import type { Authorizer, Decision } from '../../store/acl/authorizer.js';
import { aclProto } from '../../proto/acl-proto.js';
import type { Routes } from '../routes.js';
import type { ApiBackend } from '../server-interfaces.js';
import { AclService } from './acl-service.js';

const aclRead = (_req: unknown, authz: Authorizer): Decision[] => [authz.aclRead()];
const aclWrite = (_req: unknown, authz: Authorizer): Decision[] => [authz.aclWrite()];

/** Roster's ACL service: tokens and policies (roster acl ...). */
export function addAclRoutes(routes: Routes, b: ApiBackend): void {
  const acl = new AclService(b);
  const Acl = aclProto().roster.acl.v1.Acl;
  routes.addService(Acl.service);
  routes.addUnary(Acl, {
    Bootstrap: (r, c) => acl.bootstrap(r, c),
    TokenCreate: (r, c) => acl.tokenCreate(r, c),
    TokenUpdate: (r, c) => acl.tokenUpdate(r, c),
    TokenDelete: (r, c) => acl.tokenDelete(r, c),
    TokenRead: (r, c) => acl.tokenRead(r, c),
    TokenList: (_r, c) => acl.tokenList(c),
    TokenReadSelf: (_r, c) => acl.tokenReadSelf(c),
    TokenRules: (_r, c) => acl.tokenRules(c),
    PolicyCreate: (r, c) => acl.policyCreate(r, c),
    PolicyUpdate: (r, c) => acl.policyUpdate(r, c),
    PolicyDelete: (r, c) => acl.policyDelete(r, c),
    PolicyRead: (r, c) => acl.policyRead(r, c),
    PolicyList: (_r, c) => acl.policyList(c),
  });
  routes.guard(Acl, {
    // Allowed once (the state machine decides); TokenReadSelf answers only the caller's own token.
    Bootstrap: 'open',
    TokenReadSelf: 'open',
    TokenRules: 'open',
    TokenRead: aclRead,
    TokenList: aclRead,
    PolicyRead: aclRead,
    PolicyList: aclRead,
    TokenCreate: aclWrite,
    TokenUpdate: aclWrite,
    TokenDelete: aclWrite,
    PolicyCreate: aclWrite,
    PolicyUpdate: aclWrite,
    PolicyDelete: aclWrite,
  });
}
