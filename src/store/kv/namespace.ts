import { RosterError } from '../../util/errors.js';

/**
 * The MVCC keyspace is shared by several tables: etcd's user keys, the registry's catalog,
 * sessions and locks, and the ACL tables. Each lives in its own namespace, the first byte of
 * every key the engine stores (the engine itself never looks at it), so they share one revision
 * counter, one history, one event log and one compaction, and a watch on one namespace never
 * sees another's keys.
 *
 * Namespace bytes are allocated here, so two tables can never pick the same one.
 */
export const NAMESPACE = {
  /** etcd's KV: every key a client of the etcd API can read or write. */
  kv: 0x01,
  /** Registry tables (src/store/registry): nodes, instances, checks, derived views, sessions, locks. */
  nodes: 0x10,
  nodeServices: 0x11,
  nodeChecks: 0x12,
  serviceInstances: 0x13,
  services: 0x14,
  sessions: 0x16,
  locks: 0x17,
  /** Consul's KV flags of an etcd key's value (src/store/registry/kv-flags.ts). */
  kvFlags: 0x18,
  /** ACL tables (src/store/acl): tokens, the secret index, policies, the name index, bootstrap state. */
  aclTokens: 0x20,
  aclTokenSecrets: 0x21,
  aclPolicies: 0x22,
  aclPolicyNames: 0x23,
  aclState: 0x24,
  /** etcd's Auth users (src/store/acl/etcd-users.ts): name -> user; its roles are ACL policies. */
  aclUsers: 0x25,
} as const;

export type Namespace = (typeof NAMESPACE)[keyof typeof NAMESPACE];

/** `key` inside namespace `ns`. */
export function nsKey(ns: number, key: Uint8Array): Uint8Array {
  const out = new Uint8Array(key.length + 1);
  out[0] = ns;
  out.set(key, 1);
  return out;
}

/** The namespace of a stored key. */
export function namespaceOf(key: Uint8Array): number {
  if (key.length === 0) throw new RosterError('CORRUPT', 'kv store: a key without a namespace');
  return key[0]!;
}

/** A stored key without its namespace byte (a view, not a copy). */
export function stripNamespace(key: Uint8Array): Uint8Array {
  return key.subarray(1);
}

/** The first key of namespace `ns`. */
export function namespaceStart(ns: number): Uint8Array {
  return Uint8Array.of(ns);
}

/** The first key after namespace `ns`. */
export function namespaceEnd(ns: number): Uint8Array {
  return Uint8Array.of(ns + 1);
}

/**
 * An etcd range end mapped into namespace `ns`: empty (the single key) stays empty; [0x00]
 * ("every key >= key") becomes the end of the namespace; anything else gets the namespace byte.
 */
export function nsRangeEnd(ns: number, rangeEnd: Uint8Array): Uint8Array {
  if (rangeEnd.length === 0) return rangeEnd;
  if (rangeEnd.length === 1 && rangeEnd[0] === 0) return namespaceEnd(ns);
  return nsKey(ns, rangeEnd);
}
