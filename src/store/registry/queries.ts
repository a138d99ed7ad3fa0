import { flagsFor, readKvFlags, type KvFlagsRecord } from './kv-flags.js';
import { getCurrent } from '../kv/mvcc-read.js';
import { NAMESPACE, namespaceEnd, namespaceStart, nsKey, nsRangeEnd } from '../kv/namespace.js';
import type { OrderedKvReader } from '../kv/ordered-kv.js';
import { instancesOf, kvFlagsKey, lockKey, nodeCheckKey, nodeChecksOf, nodeKey, nodeServicesOf, serviceKey, sessionKey } from './keys.js';
import { readRecord, scanRecords, type Stored } from './record-io.js';
import type { CheckRecord, HealthStatus, InstanceView, LockRecord, Meta, NodeRecord, ServiceRecord, ServiceSummary, SessionRecord } from './records.js';
import { DEFAULT_SESSION_CHECK } from './sessions.js';

/** Reads of the catalog, each on one consistent view of the applied state (MvccStore.read). */

const whole = (ns: number): { start: Uint8Array; end: Uint8Array } => ({ start: namespaceStart(ns), end: namespaceEnd(ns) });

function metaMatches(meta: Meta, want: Meta): boolean {
  for (const [k, v] of Object.entries(want)) if (meta[k] !== v) return false;
  return true;
}

export interface InstanceFilter {
  /** Only instances carrying this tag ('' for any). */
  readonly tag: string;
  /** Only instances on nodes whose meta has all of these pairs. */
  readonly nodeMeta: Meta;
  /** Only instances whose every check passes. */
  readonly passingOnly: boolean;
}

export function instanceMatches(v: InstanceView, f: InstanceFilter): boolean {
  if (f.passingOnly && v.status !== 'passing') return false;
  if (f.tag !== '' && !v.service.tags.includes(f.tag)) return false;
  return metaMatches(v.node.meta, f.nodeMeta);
}

/** The instances of one service, with their health, and the service's modify index (0 if unknown). */
export async function serviceInstances(kv: OrderedKvReader, service: string, filter: InstanceFilter): Promise<{ instances: Stored<InstanceView>[]; index: number }> {
  const instances: Stored<InstanceView>[] = [];
  for await (const v of scanRecords<InstanceView>(kv, instancesOf(service), 'instance')) if (instanceMatches(v.record, filter)) instances.push(v);
  const summary = await readRecord<ServiceSummary>(kv, serviceKey(service), 'service summary');
  return { instances, index: summary?.modRevision ?? 0 };
}

/** Every service with its summary; with a node-meta filter, only services with an instance on such a node. */
export async function listServices(kv: OrderedKvReader, nodeMeta: Meta): Promise<Stored<ServiceSummary>[]> {
  const all: Stored<ServiceSummary>[] = [];
  for await (const s of scanRecords<ServiceSummary>(kv, whole(NAMESPACE.services), 'service summary')) all.push(s);
  if (Object.keys(nodeMeta).length === 0) return all;
  const wanted = new Set<string>();
  for await (const v of scanRecords<InstanceView>(kv, whole(NAMESPACE.serviceInstances), 'instance')) {
    if (metaMatches(v.record.node.meta, nodeMeta)) wanted.add(v.record.service.name);
  }
  return all.filter((s) => wanted.has(s.record.name));
}

export async function listNodes(kv: OrderedKvReader, nodeMeta: Meta): Promise<Stored<NodeRecord>[]> {
  const out: Stored<NodeRecord>[] = [];
  for await (const n of scanRecords<NodeRecord>(kv, whole(NAMESPACE.nodes), 'node')) if (metaMatches(n.record.meta, nodeMeta)) out.push(n);
  return out;
}

/** Why a node is in the catalog: see the Node message's `source` in proto/roster/registry.proto. */
export type NodeSource = 'agent' | 'registration' | 'catalog';

export async function nodeSource(kv: OrderedKvReader, node: Stored<NodeRecord>): Promise<NodeSource> {
  if ((await readRecord<CheckRecord>(kv, nodeCheckKey(node.record.name, DEFAULT_SESSION_CHECK), 'check')) !== undefined) return 'agent';
  return node.record.implicit === true ? 'registration' : 'catalog';
}

/** A node with its services and checks; undefined when the node is not registered. */
export async function nodeServices(kv: OrderedKvReader, node: string): Promise<{ node: Stored<NodeRecord>; services: Stored<ServiceRecord>[]; checks: Stored<CheckRecord>[] } | undefined> {
  const n = await readRecord<NodeRecord>(kv, nodeKey(node), 'node');
  if (n === undefined) return undefined;
  const services: Stored<ServiceRecord>[] = [];
  for await (const s of scanRecords<ServiceRecord>(kv, nodeServicesOf(node), 'service')) services.push(s);
  const checks: Stored<CheckRecord>[] = [];
  for await (const c of scanRecords<CheckRecord>(kv, nodeChecksOf(node), 'check')) checks.push(c);
  return { node: n, services, checks };
}

/** A node and one of its checks, by two point reads (the leader's gossip reconciler, for every member). */
export async function nodeAndCheck(kv: OrderedKvReader, node: string, checkId: string): Promise<{ node: Stored<NodeRecord>; check: Stored<CheckRecord> | undefined } | undefined> {
  const n = await readRecord<NodeRecord>(kv, nodeKey(node), 'node');
  if (n === undefined) return undefined;
  return { node: n, check: await readRecord<CheckRecord>(kv, nodeCheckKey(node, checkId), 'check') };
}

/** Checks in a state ('any' for all), optionally only those of one service. */
export async function checksInState(kv: OrderedKvReader, state: HealthStatus | 'any', serviceName: string): Promise<Stored<CheckRecord>[]> {
  const out: Stored<CheckRecord>[] = [];
  for await (const c of scanRecords<CheckRecord>(kv, whole(NAMESPACE.nodeChecks), 'check')) {
    if ((state === 'any' || c.record.status === state) && (serviceName === '' || c.record.serviceName === serviceName)) out.push(c);
  }
  return out;
}

export async function sessionInfo(kv: OrderedKvReader, id: string): Promise<Stored<SessionRecord> | undefined> {
  return readRecord<SessionRecord>(kv, sessionKey(id), 'session');
}

/** Every session, or only one node's. */
export async function listSessions(kv: OrderedKvReader, node: string): Promise<Stored<SessionRecord>[]> {
  const out: Stored<SessionRecord>[] = [];
  for await (const s of scanRecords<SessionRecord>(kv, whole(NAMESPACE.sessions), 'session')) if (node === '' || s.record.node === node) out.push(s);
  return out;
}

export interface LockView {
  readonly key: Uint8Array;
  /** The etcd key's current value (empty if it does not exist). */
  readonly value: Uint8Array;
  readonly session: string;
  readonly lockIndex: number;
  /** The lock record's mod revision (0 if the key was never locked). */
  readonly modRevision: number;
  /** Consul's flags of the key's current value (kv-flags.ts). */
  readonly flags: bigint;
}

/** A lock as a client sees it: holder, index, and the key's value. */
/**
 * The locks and flags on keys in [key, rangeEnd) (a zero-byte end: every key from key on), by
 * key; keys with neither are left out. At most `limit`.
 */
export async function lockStates(kv: OrderedKvReader, key: Uint8Array, rangeEnd: Uint8Array, limit: number): Promise<LockView[]> {
  // The first `limit` keys of each namespace hold the first `limit` of the two together. Keys
  // sort by their bytes (latin1 keeps that order and every byte); the records read here are used
  // as they are, so each key costs one more read (its value).
  const found = new Map<string, { kvKey: Uint8Array; lock?: Stored<LockRecord>; flags?: KvFlagsRecord }>();
  const entry = (kvKey: Uint8Array) => {
    const k = Buffer.from(kvKey).toString('latin1');
    let e = found.get(k);
    if (e === undefined) found.set(k, (e = { kvKey }));
    return e;
  };
  let n = 0;
  for await (const r of scanRecords<LockRecord>(kv, { start: lockKey(key), end: nsRangeEnd(NAMESPACE.locks, rangeEnd) }, 'lock')) {
    if (n++ >= limit) break;
    entry(r.key.subarray(1)).lock = r;
  }
  n = 0;
  for await (const r of scanRecords<KvFlagsRecord>(kv, { start: kvFlagsKey(key), end: nsRangeEnd(NAMESPACE.kvFlags, rangeEnd) }, 'kv flags')) {
    if (n++ >= limit) break;
    entry(r.key.subarray(1)).flags = r.record;
  }
  const out: LockView[] = [];
  for (const k of [...found.keys()].sort()) {
    if (out.length >= limit) break;
    const { kvKey, lock, flags } = found.get(k)!;
    const current = await getCurrent(kv, nsKey(NAMESPACE.kv, kvKey));
    const view: LockView = { key: kvKey, value: current?.value ?? new Uint8Array(0), session: lock?.record.session ?? '', lockIndex: lock?.record.lockIndex ?? 0, modRevision: lock?.modRevision ?? 0, flags: current === undefined ? 0n : flagsFor(flags, current.modRevision) };
    // A key whose only record is flags of an older value has nothing to report.
    if (view.modRevision !== 0 || view.flags !== 0n) out.push(view);
  }
  return out;
}

export async function lockState(kv: OrderedKvReader, key: Uint8Array): Promise<LockView> {
  const lock = await readRecord<LockRecord>(kv, lockKey(key), 'lock');
  const current = await getCurrent(kv, nsKey(NAMESPACE.kv, key));
  const flags = current === undefined ? 0n : await readKvFlags(kv, key, current.modRevision);
  return { key, value: current?.value ?? new Uint8Array(0), session: lock?.record.session ?? '', lockIndex: lock?.record.lockIndex ?? 0, modRevision: lock?.modRevision ?? 0, flags };
}
