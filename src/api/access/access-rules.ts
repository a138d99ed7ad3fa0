import { compileAuthorizer, permissionDenied, type Authorizer, type Decision } from '../../store/acl/authorizer.js';

/**
 * What one method needs of its caller's token, decided before its handler runs:
 * - a function: the decisions its request needs, every one of which must allow;
 * - 'open': nothing (etcd's Status, the ACL service's Bootstrap, which need no token by design);
 * - 'operator': operator:write. Every method not yet mapped to its own rule (issue 14 goes on)
 *   has this one, so with ACLs on nothing is left open, only stricter than it will be.
 */
export type AccessRule = ((req: unknown, authz: Authorizer) => readonly Decision[]) | 'open' | 'operator';

/** With ACLs off, and for a call another server already checked (forwarded), everything is allowed. */
export const ALLOW_ALL: Authorizer = compileAuthorizer([], { management: true, defaultPolicy: 'allow' });

/** Throws PERMISSION_DENIED, naming the missing rule, unless `rule` allows the request. */
export function enforce(rule: AccessRule, req: unknown, authz: Authorizer): void {
  // With ACLs off nothing is computed (a Txn's rule would convert the whole request).
  if (rule === 'open' || authz === ALLOW_ALL) return;
  const decisions = rule === 'operator' ? [authz.operatorWrite()] : rule(req, authz);
  for (const d of decisions) if (!d.allowed) throw permissionDenied(d);
}
