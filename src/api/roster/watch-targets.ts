import type { WatchCreate__Output } from '../../gen/registry/roster/registry/v1/WatchCreate.js';
import { NAMESPACE, namespaceEnd, namespaceOf, namespaceStart, nsRangeEnd, stripNamespace } from '../../store/kv/namespace.js';
import type { OrderedKvReader } from '../../store/kv/ordered-kv.js';
import type { KeyValue } from '../../store/kv/types.js';
import { instancesOf, lockKey, nodeChecksOf, nodeKey, nodeServicesOf } from '../../store/registry/keys.js';
import { checksInState, instanceMatches, listNodes, listServices, listSessions, lockState, lockStates, nodeServices, serviceInstances, type InstanceFilter } from '../../store/registry/queries.js';
import { decodeRecord, type CheckRecord, type HealthStatus, type InstanceView, type LockRecord, type NodeRecord, type ServiceRecord, type ServiceSummary, type SessionRecord } from '../../store/registry/records.js';
import { checkName } from '../../store/registry/validate.js';
import { RosterError } from '../../util/errors.js';
import type { KeyRange } from '../watch/key-range.js';
import { checkOut, instanceOut, nodeOut, serviceOut, statusIn, summaryOut } from './registry-convert.js';
import { LOCKS_PER_ANSWER, sessionOut } from './session-service.js';

/** One Item message (roster.registry.v1.Item), as an object for the encoder. */
export type ItemMessage = Record<string, unknown>;

/** A current item of a snapshot: the revision it was last changed at, and the item. */
export interface SnapshotItem {
  readonly revision: number;
  readonly item: ItemMessage;
}

/**
 * What one registry watch follows: the store keys it reads, how a stored record shows as an
 * item (undefined: not part of this watch, e.g. a critical instance for passing_only), which
 * changes are worth telling, and the items as they are now for a snapshot.
 */
export interface WatchTarget {
  /** Equal specs watch the same thing: their changes are computed and encoded once. */
  readonly spec: string;
  readonly ranges: readonly KeyRange[];
  item(kv: KeyValue): ItemMessage | undefined;
  significant(prev: ItemMessage, next: ItemMessage): boolean;
  snapshot(kv: OrderedKvReader): Promise<SnapshotItem[]>;
}

const at = (kv: KeyValue): { createRevision: number; modRevision: number; lease: bigint } => ({ createRevision: kv.createRevision, modRevision: kv.modRevision, lease: kv.lease });
const whole = (ns: number): KeyRange => ({ start: namespaceStart(ns), end: namespaceEnd(ns) });
const prefix = (r: { start: Uint8Array; end: Uint8Array }): KeyRange => ({ start: r.start, end: r.end });
const always = (): boolean => true;

function instanceTarget(service: string, filter: InstanceFilter): WatchTarget {
  return {
    spec: JSON.stringify(['service', service, filter.tag, Object.entries(filter.nodeMeta).sort(), filter.passingOnly]),
    ranges: [prefix(instancesOf(service))],
    item: (kv) => {
      const view = decodeRecord<InstanceView>(kv.value, 'instance');
      return instanceMatches(view, filter) ? { instance: instanceOut({ record: view, ...at(kv) }) } : undefined;
    },
    significant: always,
    snapshot: async (kv) => (await serviceInstances(kv, service, filter)).instances.map((s) => ({ revision: s.modRevision, item: { instance: instanceOut(s) } })),
  };
}

const servicesTarget: WatchTarget = {
  spec: '["services"]',
  ranges: [whole(NAMESPACE.services)],
  item: (kv) => ({ service: summaryOut({ record: decodeRecord<ServiceSummary>(kv.value, 'service summary'), ...at(kv) }) }),
  // The list changes when a service appears, goes, or its tags change; not on every health flap.
  significant: (prev, next) => JSON.stringify((prev.service as { tags: string[] }).tags) !== JSON.stringify((next.service as { tags: string[] }).tags),
  snapshot: async (kv) => (await listServices(kv, {})).map((s) => ({ revision: s.modRevision, item: { service: summaryOut(s) } })),
};

const nodesTarget: WatchTarget = {
  spec: '["nodes"]',
  ranges: [whole(NAMESPACE.nodes)],
  item: (kv) => ({ node: nodeOut(decodeRecord<NodeRecord>(kv.value, 'node'), kv) }),
  significant: always,
  snapshot: async (kv) => (await listNodes(kv, {})).map((n) => ({ revision: n.modRevision, item: { node: nodeOut(n.record, n) } })),
};

function sessionsTarget(node: string): WatchTarget {
  return {
    spec: JSON.stringify(['sessions', node]),
    ranges: [whole(NAMESPACE.sessions)],
    item: (kv) => {
      const r = decodeRecord<SessionRecord>(kv.value, 'session');
      return node === '' || r.node === node ? { session: sessionOut({ record: r, ...at(kv) }) } : undefined;
    },
    significant: always,
    snapshot: async (kv) => (await listSessions(kv, node)).map((x) => ({ revision: x.modRevision, item: { session: sessionOut(x) } })),
  };
}

function nodeTarget(node: string): WatchTarget {
  return {
    spec: JSON.stringify(['node', node]),
    ranges: [{ start: nodeKey(node), end: undefined }, prefix(nodeServicesOf(node)), prefix(nodeChecksOf(node))],
    item: (kv) => {
      switch (namespaceOf(kv.key)) {
        case NAMESPACE.nodes:
          return { node: nodeOut(decodeRecord<NodeRecord>(kv.value, 'node'), kv) };
        case NAMESPACE.nodeServices:
          return { nodeService: serviceOut(decodeRecord<ServiceRecord>(kv.value, 'service'), at(kv)) };
        default:
          return { check: checkOut(decodeRecord<CheckRecord>(kv.value, 'check'), kv) };
      }
    },
    significant: always,
    snapshot: async (kv) => {
      const found = await nodeServices(kv, node);
      if (found === undefined) return [];
      return [
        { revision: found.node.modRevision, item: { node: nodeOut(found.node.record, found.node) } },
        ...found.services.map((s) => ({ revision: s.modRevision, item: { nodeService: serviceOut(s.record, s) } })),
        ...found.checks.map((c) => ({ revision: c.modRevision, item: { check: checkOut(c.record, c) } })),
      ];
    },
  };
}

function checksTarget(state: HealthStatus | 'any', service: string): WatchTarget {
  const matches = (c: CheckRecord): boolean => (state === 'any' || c.status === state) && (service === '' || c.serviceName === service);
  return {
    spec: JSON.stringify(['checks', state, service]),
    ranges: [whole(NAMESPACE.nodeChecks)],
    item: (kv) => {
      const c = decodeRecord<CheckRecord>(kv.value, 'check');
      return matches(c) ? { check: checkOut(c, kv) } : undefined;
    },
    significant: always,
    snapshot: async (kv) => (await checksInState(kv, state, service)).map((c) => ({ revision: c.modRevision, item: { check: checkOut(c.record, c) } })),
  };
}

/** A lock's holder and index; its value is not carried by watch changes (read it with Locks.Get). */
const lockItem = (k: Uint8Array, r: LockRecord, modRevision: number): ItemMessage => ({
  lock: { key: Buffer.from(k), value: Buffer.alloc(0), session: r.session, lockIndex: String(r.lockIndex), modifyRevision: String(modRevision) },
});

function lockTarget(key: Uint8Array): WatchTarget {
  return {
    spec: JSON.stringify(['lock', Buffer.from(key).toString('base64')]),
    ranges: [{ start: lockKey(key), end: undefined }],
    item: (kv) => lockItem(stripNamespace(kv.key), decodeRecord<LockRecord>(kv.value, 'lock'), kv.modRevision),
    significant: always,
    snapshot: async (kv) => {
      const l = await lockState(kv, key);
      return l.modRevision === 0 ? [] : [{ revision: l.modRevision, item: lockItem(key, { session: l.session, lockIndex: l.lockIndex }, l.modRevision) }];
    },
  };
}

/**
 * Every lock on a key in [key, rangeEnd) (Consul's blocking read of a prefix wakes on a lock
 * taken or released under it). Its snapshot holds at most LOCKS_PER_ANSWER locks, as Locks.Get.
 */
function lockRangeTarget(key: Uint8Array, rangeEnd: Uint8Array): WatchTarget {
  return {
    spec: JSON.stringify(['locks', Buffer.from(key).toString('base64'), Buffer.from(rangeEnd).toString('base64')]),
    ranges: [{ start: lockKey(key), end: nsRangeEnd(NAMESPACE.locks, rangeEnd) }],
    item: (kv) => lockItem(stripNamespace(kv.key), decodeRecord<LockRecord>(kv.value, 'lock'), kv.modRevision),
    significant: always,
    snapshot: async (kv) =>
      (await lockStates(kv, key, rangeEnd, LOCKS_PER_ANSWER)).filter((l) => l.modRevision !== 0).map((l) => ({ revision: l.modRevision, item: lockItem(l.key, { session: l.session, lockIndex: l.lockIndex }, l.modRevision) })),
  };
}

/** The target a WatchCreate names; INVALID_ARGUMENT when it names none or a bad one. */
export function targetOf(req: WatchCreate__Output): WatchTarget {
  switch (req.target) {
    case 'service': {
      const t = req.service!;
      checkName(t.service, 'service.service');
      return instanceTarget(t.service, { tag: t.tag, nodeMeta: { ...t.nodeMeta }, passingOnly: t.passingOnly });
    }
    case 'services':
      return servicesTarget;
    case 'nodes':
      return nodesTarget;
    case 'sessions':
      if (req.sessions!.node !== '') checkName(req.sessions!.node, 'sessions.node');
      return sessionsTarget(req.sessions!.node);
    case 'node':
      checkName(req.node!.node, 'node.node');
      return nodeTarget(req.node!.node);
    case 'checks': {
      const state = statusIn(req.checks!.state);
      return checksTarget(state === '' ? 'any' : state, req.checks!.service);
    }
    case 'lock':
      if (req.lock!.key.length === 0) throw new RosterError('INVALID_ARGUMENT', 'lock.key: is required');
      return req.lock!.rangeEnd.length === 0 ? lockTarget(new Uint8Array(req.lock!.key)) : lockRangeTarget(new Uint8Array(req.lock!.key), new Uint8Array(req.lock!.rangeEnd));
    default:
      throw new RosterError('INVALID_ARGUMENT', 'a watch needs a target: service, services, node, nodes, checks, sessions or lock');
  }
}
