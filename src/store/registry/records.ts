import { RosterError } from '../../util/errors.js';

/**
 * The registry's records, as stored (JSON, in the MVCC store's registry namespaces, see keys.ts).
 * Every object is built field by field in a fixed order, so equal content is equal bytes: an
 * update that changes nothing is recognised and written as nothing (no revision, no wake-up).
 */

export type HealthStatus = 'passing' | 'warning' | 'critical';

export const HEALTH_STATUSES: readonly HealthStatus[] = ['passing', 'warning', 'critical'];

/** Worse first: the status of an instance is the worst of its checks. */
const SEVERITY: Readonly<Record<HealthStatus, number>> = { passing: 0, warning: 1, critical: 2 };

export function worstStatus(statuses: Iterable<HealthStatus>): HealthStatus {
  let worst: HealthStatus = 'passing';
  for (const s of statuses) if (SEVERITY[s] > SEVERITY[worst]) worst = s;
  return worst;
}

export type Meta = Readonly<Record<string, string>>;

export interface NodeRecord {
  readonly name: string;
  readonly address: string;
  readonly datacenter: string;
  readonly meta: Meta;
  /**
   * Written first by the registration of a service, not of the node itself, and never since by
   * one of the node alone: it exists for its services, and goes with the last of them (when it
   * has no checks either: no agent keeps a member check on it).
   */
  readonly implicit?: true;
}

export interface Weights {
  readonly passing: number;
  readonly warning: number;
}

export interface ServiceRecord {
  readonly node: string;
  readonly id: string;
  readonly name: string;
  readonly tags: readonly string[];
  /** Where to reach the instance; empty means the node's address. */
  readonly address: string;
  readonly port: number;
  readonly meta: Meta;
  readonly weights: Weights;
}

export type CheckType = 'ttl' | 'http' | 'tcp' | 'grpc' | 'script' | 'gossip' | 'external';

export const CHECK_TYPES: readonly CheckType[] = ['ttl', 'http', 'tcp', 'grpc', 'script', 'gossip', 'external'];

export interface CheckRecord {
  readonly node: string;
  readonly id: string;
  readonly name: string;
  /** Empty for a node-level check, which counts for every service of the node. */
  readonly serviceId: string;
  readonly serviceName: string;
  readonly status: HealthStatus;
  readonly output: string;
  readonly notes: string;
  readonly type: CheckType;
  /** TTL checks: critical unless renewed within this many milliseconds (0 otherwise). */
  readonly ttlMs: number;
  /** Deregister the check's service (or the check) after it has been critical this long; 0 never. */
  readonly deregisterCriticalAfterMs: number;
  /** How the agent runs the check (URL, interval, ...), kept for the agent; opaque here. */
  readonly definition: Meta;
}

/**
 * One instance as discovery sees it: the service, where its node is, every check that counts for
 * it (its own and its node's) and the worst of their statuses. Derived: rebuilt whenever any of
 * those change, in the same revision, so a watch on one service sees one consistent event.
 */
export interface InstanceView {
  readonly service: ServiceRecord;
  readonly node: NodeRecord;
  readonly checks: readonly CheckRecord[];
  readonly status: HealthStatus;
}

/**
 * One service name across the cluster, for the service list: how many instances, how many
 * passing, and its tags with how many instances carry each. Kept up to date incrementally; its
 * mod revision is the service's modify index (any change to any instance of it moves it).
 */
export interface ServiceSummary {
  readonly name: string;
  readonly instances: number;
  readonly passing: number;
  readonly tags: Readonly<Record<string, number>>;
}

export type SessionBehavior = 'release' | 'delete';

/** Consul's session: bound to a node and some of its checks, optionally with a TTL. */
export interface SessionRecord {
  readonly id: string;
  readonly name: string;
  readonly node: string;
  readonly checks: readonly string[];
  readonly ttlMs: number;
  readonly behavior: SessionBehavior;
  readonly lockDelayMs: number;
}

/** A lock on an etcd key: who holds it ('' when free) and how many times it was taken. */
export interface LockRecord {
  readonly session: string;
  readonly lockIndex: number;
  /** Set when the holder's session ended with a lock delay: the lock is free, but delayed. */
  readonly delayed?: true;
}

export function sortedMeta(meta: Meta): Meta {
  const out: Record<string, string> = {};
  for (const k of Object.keys(meta).sort()) out[k] = meta[k]!;
  return out;
}

export function nodeRecord(n: NodeRecord, implicit = false): NodeRecord {
  return { name: n.name, address: n.address, datacenter: n.datacenter, meta: sortedMeta(n.meta), ...(implicit ? { implicit: true as const } : {}) };
}

export function serviceRecord(s: ServiceRecord): ServiceRecord {
  return {
    node: s.node,
    id: s.id,
    name: s.name,
    tags: [...s.tags],
    address: s.address,
    port: s.port,
    meta: sortedMeta(s.meta),
    weights: { passing: s.weights.passing, warning: s.weights.warning },
  };
}

export function checkRecord(c: CheckRecord): CheckRecord {
  return {
    node: c.node,
    id: c.id,
    name: c.name,
    serviceId: c.serviceId,
    serviceName: c.serviceName,
    status: c.status,
    output: c.output,
    notes: c.notes,
    type: c.type,
    ttlMs: c.ttlMs,
    deregisterCriticalAfterMs: c.deregisterCriticalAfterMs,
    definition: sortedMeta(c.definition),
  };
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function encodeRecord(record: object): Uint8Array {
  return encoder.encode(JSON.stringify(record));
}

export function decodeRecord<T>(bytes: Uint8Array, what: string): T {
  try {
    return JSON.parse(decoder.decode(bytes)) as T;
  } catch (err) {
    throw new RosterError('CORRUPT', `registry: undecodable ${what} record: ${String(err)}`);
  }
}
