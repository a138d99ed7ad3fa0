import type { Authorizer } from '../../store/acl/authorizer.js';
import { ALLOW_ALL } from '../access/access-rules.js';
import { keyReadBytes } from '../../store/acl/key-ranges.js';
import type { ItemMessage, WatchTarget } from './watch-targets.js';

interface CheckItem {
  node: string;
  serviceId: string;
  serviceName: string;
}

const checkVisible = (authz: Authorizer, c: CheckItem): boolean => (c.serviceId === '' ? authz.nodeRead(c.node) : authz.serviceRead(c.serviceName)).allowed;

/**
 * Whether a watch item is readable with `authz`, by Consul's rules for the same lists: an
 * instance needs service:read on its service and node:read on its node, a service of the list
 * or of a node service:read, a check read on its service (node:read for a node check), a node
 * node:read, a session session:read on its node. Whether
 * one may see an item depends only on its names, which never change for the same stored key,
 * so filtering never turns a change into an add or a removal.
 */
export function itemVisible(authz: Authorizer, item: ItemMessage): boolean {
  if (item.instance !== undefined) {
    const i = item.instance as { node: { name: string }; service: { name: string } };
    return authz.serviceRead(i.service.name).allowed && authz.nodeRead(i.node.name).allowed;
  }
  if (item.service !== undefined) return authz.serviceRead((item.service as { name: string }).name).allowed;
  if (item.nodeService !== undefined) return authz.serviceRead((item.nodeService as { name: string }).name).allowed;
  if (item.check !== undefined) return checkVisible(authz, item.check as CheckItem);
  if (item.node !== undefined) return authz.nodeRead((item.node as { name: string }).name).allowed;
  if (item.session !== undefined) return authz.sessionRead((item.session as { node: string }).node).allowed;
  // A lock: key:read on its key (a single lock's was checked at create; a range's, lock by lock).
  if (item.lock !== undefined) return keyReadBytes(authz, (item.lock as { key: Uint8Array }).key).allowed;
  return true;
}

/** An instance's checks the token may read (Consul filters them from health results too). */
function withReadableChecks(authz: Authorizer, item: ItemMessage): ItemMessage {
  if (item.instance === undefined) return item;
  const i = item.instance as { checks: CheckItem[] };
  const checks = i.checks.filter((c) => checkVisible(authz, c));
  return checks.length === i.checks.length ? item : { ...item, instance: { ...i, checks } };
}

const ids = new WeakMap<Authorizer, number>();
let nextId = 1;

/**
 * `target` as seen with `authz`: items it may not read are not part of the watch (its snapshot
 * leaves them out and their changes are not told). Watchers with the same token share one
 * encoding of each change (the spec names the token's authorizer, which the resolver keeps
 * until the ACL state changes); with ACLs off the target is shared by everyone, unchanged.
 */
export function visibleTarget(target: WatchTarget, authz: Authorizer): WatchTarget {
  if (authz === ALLOW_ALL) return target;
  let id = ids.get(authz);
  if (id === undefined) {
    id = nextId++;
    ids.set(authz, id);
  }
  const show = (item: ItemMessage | undefined): ItemMessage | undefined => (item === undefined || !itemVisible(authz, item) ? undefined : withReadableChecks(authz, item));
  return {
    spec: `${target.spec}|acl#${id}`,
    ranges: target.ranges,
    item: (kv) => show(target.item(kv)),
    significant: (prev, next) => target.significant(prev, next),
    snapshot: async (kv) =>
      (await target.snapshot(kv)).flatMap((s) => {
        const item = show(s.item);
        return item === undefined ? [] : [{ revision: s.revision, item }];
      }),
  };
}
