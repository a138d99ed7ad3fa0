import type { Authorizer, Decision } from '../../store/acl/authorizer.js';
import { keyReadBytes, keyWriteBytes } from '../../store/acl/key-ranges.js';
import { NAMESPACE, namespaceOf, stripNamespace } from '../../store/kv/namespace.js';
import { keyParts } from '../../store/registry/keys.js';
import type { AccessRule } from './access-rules.js';
import { HANDLER_CHECKS } from './registry-access.js';

/**
 * etcd's leases under Consul's rules, as etcd's auth store treats them: a lease grants nothing
 * by itself (attaching it to a key needs key:write on the key, to an instance service:write on
 * its service), so granting, keeping alive and asking after one need only a valid token, like
 * an etcd user's. Revoking deletes what is attached: it needs write on every attached key and
 * service (the handler reads them from the state), and the keys LeaseTimeToLive lists are
 * filtered to those the token may read. Listing every lease is an operator's read.
 */
export const LEASE_ACCESS: Record<'LeaseGrant' | 'LeaseRevoke' | 'LeaseTimeToLive' | 'LeaseLeases' | 'LeaseKeepAlive', AccessRule> = {
  LeaseGrant: 'open',
  LeaseKeepAlive: 'open',
  LeaseTimeToLive: HANDLER_CHECKS,
  LeaseRevoke: HANDLER_CHECKS,
  LeaseLeases: (_req, authz) => [authz.operatorRead()],
};

/**
 * What revoking a lease needs, given the stored keys attached to it and the service each
 * attached registration belongs to (undefined when it is gone: then node:write on its node).
 */
export function leaseRevokeNeeds(authz: Authorizer, items: readonly Uint8Array[], serviceOf: (node: string, serviceId: string) => string | undefined): Decision[] {
  return items.map((item) => {
    const ns = namespaceOf(item);
    if (ns === NAMESPACE.kv) return keyWriteBytes(authz, stripNamespace(item));
    if (ns === NAMESPACE.nodeServices) {
      const [node = '', serviceId = ''] = keyParts(item);
      const name = serviceOf(node, serviceId);
      return name === undefined ? authz.nodeWrite(node) : authz.serviceWrite(name);
    }
    // Nothing else is attached to leases today; whatever is, only an operator may delete it.
    return authz.operatorWrite();
  });
}

/** The attached etcd keys LeaseTimeToLive may list to this token. */
export function readableLeaseKeys(authz: Authorizer, keys: readonly Uint8Array[]): Uint8Array[] {
  return keys.filter((k) => keyReadBytes(authz, k).allowed);
}
