import { concatBytes } from '../kv/bytes.js';
import { NAMESPACE, nsKey } from '../kv/namespace.js';

/**
 * Where each registry record lives in the MVCC keyspace. Names never contain 0x00 (validate.ts),
 * so 0x00 separates the parts of a key: ordering is by the first part, then the next, and a
 * "first part" prefix (name + 0x00) selects exactly that name's records.
 *
 *   nodes             node                     -> NodeRecord
 *   nodeServices      node 0 serviceId         -> ServiceRecord (a lease attaches here)
 *   nodeChecks        node 0 checkId           -> CheckRecord
 *   serviceInstances  service 0 node 0 id      -> InstanceView (derived)
 *   services          service                  -> ServiceSummary (derived)
 *   sessions          sessionId                -> SessionRecord
 *   locks             kvKey                    -> LockRecord
 */

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const SEP = Uint8Array.of(0);

function joined(ns: number, parts: readonly string[]): Uint8Array {
  const bytes: Uint8Array[] = [];
  parts.forEach((p, i) => {
    if (i > 0) bytes.push(SEP);
    bytes.push(encoder.encode(p));
  });
  return nsKey(ns, concatBytes(...bytes));
}

/** Every key of namespace `ns` whose first parts are `parts`: [start, end). */
export function partsPrefix(ns: number, parts: readonly string[]): { start: Uint8Array; end: Uint8Array } {
  const start = concatBytes(joined(ns, parts), SEP);
  const end = concatBytes(joined(ns, parts), Uint8Array.of(1));
  return { start, end };
}

/** The parts of a registry key (its namespace byte dropped). */
export function keyParts(key: Uint8Array): string[] {
  return decoder.decode(key.subarray(1)).split('\u0000');
}

export const nodeKey = (node: string): Uint8Array => joined(NAMESPACE.nodes, [node]);
export const nodeServiceKey = (node: string, serviceId: string): Uint8Array => joined(NAMESPACE.nodeServices, [node, serviceId]);
export const nodeCheckKey = (node: string, checkId: string): Uint8Array => joined(NAMESPACE.nodeChecks, [node, checkId]);
export const instanceKey = (service: string, node: string, serviceId: string): Uint8Array => joined(NAMESPACE.serviceInstances, [service, node, serviceId]);
export const serviceKey = (service: string): Uint8Array => joined(NAMESPACE.services, [service]);
export const sessionKey = (id: string): Uint8Array => joined(NAMESPACE.sessions, [id]);
export const lockKey = (kvKey: Uint8Array): Uint8Array => nsKey(NAMESPACE.locks, kvKey);
export const kvFlagsKey = (kvKey: Uint8Array): Uint8Array => nsKey(NAMESPACE.kvFlags, kvKey);

/**
 * A plain (unversioned) index of the locks each session holds, beside the MVCC layout under its
 * own prefix byte 'r' (see kv/layout.ts): 'r' sessionId 0x00 kvKey -> ''. It changes in the same
 * batches as the lock records it mirrors.
 */
export const PREFIX_SESSION_LOCKS = 0x72; // 'r'

export function sessionLockKey(session: string, kvKey: Uint8Array): Uint8Array {
  return concatBytes(Uint8Array.of(PREFIX_SESSION_LOCKS), encoder.encode(session), SEP, kvKey);
}

export function sessionLocksOf(session: string): { gte: Uint8Array; lt: Uint8Array } {
  const base = concatBytes(Uint8Array.of(PREFIX_SESSION_LOCKS), encoder.encode(session));
  return { gte: concatBytes(base, SEP), lt: concatBytes(base, Uint8Array.of(1)) };
}

export const nodeServicesOf = (node: string): { start: Uint8Array; end: Uint8Array } => partsPrefix(NAMESPACE.nodeServices, [node]);
export const nodeChecksOf = (node: string): { start: Uint8Array; end: Uint8Array } => partsPrefix(NAMESPACE.nodeChecks, [node]);
export const instancesOf = (service: string): { start: Uint8Array; end: Uint8Array } => partsPrefix(NAMESPACE.serviceInstances, [service]);
