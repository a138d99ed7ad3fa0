import { prefixRangeEnd } from '../../util/prefix-end.js';
import { NAMESPACE, nsKey, nsRangeEnd, stripNamespace } from '../kv/namespace.js';
import { getCurrent, scanCurrent } from '../kv/mvcc-read.js';
import { deleteRangeRequest, putRequest } from '../kv/requests.js';
import type { KeyValue } from '../kv/types.js';
import { executeDeleteRange, executePut } from '../kv/writes.js';
import type { WriteScope } from '../kv/write-scope.js';
import { applyDeregister, applyRegister, type CheckEffects } from './catalog-apply.js';
import type { ConsulCatalogVerb, ConsulTxnCommand, ConsulTxnOp, ConsulTxnResult } from './commands.js';
import { lockKey, nodeCheckKey, nodeKey, nodeServiceKey } from './keys.js';
import { readKvFlags, writeKvFlags } from './kv-flags.js';
import { readRecord, type Stored } from './record-io.js';
import type { CheckRecord, LockRecord, NodeRecord, ServiceRecord } from './records.js';
import { registryError } from './registry-errors.js';
import { applyLockAcquire, applyLockRelease } from './sessions.js';

/** The operation at `opIndex` failed: the transaction is undone (the store rolls the command back). */
function abort(opIndex: number, what: string): never {
  throw registryError('TXN_ABORTED', what, { opIndex });
}

/** The etcd key `key` as the store keeps it. */
const stored = (key: Uint8Array): Uint8Array => nsKey(NAMESPACE.kv, key);

/**
 * Consul's transaction: each operation in order, in one write scope, so each sees the ones before
 * it (as Consul's do) and the first failure undoes them all. Messages are Consul's.
 */
export async function applyConsulTxn(scope: WriteScope, cmd: ConsulTxnCommand, effects: CheckEffects): Promise<ConsulTxnResult[]> {
  const results: ConsulTxnResult[] = [];
  let resultBytes = 0;
  for (const [i, op] of cmd.ops.entries()) {
    const before = results.length;
    switch (op.op) {
      case 'kv':
        results.push(...(await applyKvOp(scope, op, i, cmd.delayCheckedAt)));
        break;
      case 'node':
        results.push(...(await applyNodeOp(scope, op, i, effects)));
        break;
      case 'service':
        results.push(...(await applyServiceOp(scope, op, i, effects)));
        break;
      case 'check':
        results.push(...(await applyCheckOp(scope, op, i, effects)));
        break;
    }
    // Every server builds the results as the entry applies: bounded, and the same on each (it is the state's size).
    for (const r of results.slice(before)) resultBytes += r.kind === 'kv' ? r.key.length + (r.value?.length ?? 0) : 1024;
    if (resultBytes > CONSUL_TXN_MAX_RESULT_BYTES) abort(i, `the transaction's results pass ${CONSUL_TXN_MAX_RESULT_BYTES} bytes: read a large prefix with GET /v1/kv/PREFIX?recurse instead`);
  }
  return results;
}

/** The most a transaction's results may hold (keys and values read or written back). */
export const CONSUL_TXN_MAX_RESULT_BYTES = 4 * 1024 * 1024;

type KvOp = Extract<ConsulTxnOp, { op: 'kv' }>;

/** A key's entry as Consul reports it, with its lock and flags; the value only when asked for. */
async function entryOf(scope: WriteScope, kv: KeyValue, withValue: boolean): Promise<ConsulTxnResult> {
  const key = stripNamespace(kv.key);
  const lock = await readRecord<LockRecord>(scope.kv, lockKey(key), 'lock');
  return { kind: 'kv', key, value: withValue ? kv.value : undefined, flags: await readKvFlags(scope.kv, key, kv.modRevision), lockIndex: lock?.record.lockIndex ?? 0, session: lock?.record.session ?? '', createRevision: kv.createRevision, modRevision: kv.modRevision };
}

async function applyKvOp(scope: WriteScope, op: KvOp, i: number, delayCheckedAt: number | undefined): Promise<ConsulTxnResult[]> {
  const name = Buffer.from(op.key).toString('utf8');
  const current = (): Promise<KeyValue | undefined> => getCurrent(scope.kv, stored(op.key));
  const indexIs = async (what: string): Promise<void> => {
    const now = await current();
    if (op.index === 0 && op.verb === 'cas') {
      if (now !== undefined) abort(i, `failed to ${what} key "${name}", it exists`);
      return;
    }
    if (now === undefined) abort(i, `failed to ${what} key "${name}", it does not exist`);
    if (now.modRevision !== op.index) abort(i, `failed to ${what} key "${name}", index is stale (current modify index ${now.modRevision} != ${op.index})`);
  };
  const set = async (): Promise<ConsulTxnResult[]> => {
    await executePut(scope, putRequest(stored(op.key), op.value), 'lease-first');
    await writeKvFlags(scope, stored(op.key), op.key, op.flags);
    return [await entryOf(scope, (await current())!, false)];
  };
  switch (op.verb) {
    case 'set':
      return set();
    case 'cas':
      await indexIs('set');
      return set();
    case 'lock': {
      const outcome = await applyLockAcquire(scope, { type: 'lockAcquire', key: op.key, value: op.value, session: op.session, ...(delayCheckedAt === undefined ? {} : { delayCheckedAt }) }).catch((err: unknown) => {
        if ((err as { code?: unknown }).code === 'SESSION_NOT_FOUND') abort(i, `failed to lock key "${name}": invalid session "${op.session}"`);
        throw err;
      });
      if (!outcome.granted) abort(i, `failed to lock key "${name}", lock is already held`);
      await writeKvFlags(scope, stored(op.key), op.key, op.flags);
      return [await entryOf(scope, (await current())!, false)];
    }
    case 'unlock': {
      // Consul's unlock writes the value too, as the holder, then frees the lock.
      const lock = await readRecord<LockRecord>(scope.kv, lockKey(op.key), 'lock');
      if (lock === undefined || lock.record.session !== op.session) abort(i, `failed to unlock key "${name}", lock isn't held, or is held by another session`);
      await executePut(scope, putRequest(stored(op.key), op.value), 'lease-first');
      await writeKvFlags(scope, stored(op.key), op.key, op.flags);
      await applyLockRelease(scope, { type: 'lockRelease', key: op.key, session: op.session });
      return [await entryOf(scope, (await current())!, false)];
    }
    case 'get': {
      const now = await current();
      if (now === undefined) abort(i, `key "${name}" doesn't exist`);
      return [await entryOf(scope, now, true)];
    }
    case 'get-tree': {
      const out: ConsulTxnResult[] = [];
      for await (const kv of scanCurrent(scope.kv, stored(op.key), nsRangeEnd(NAMESPACE.kv, prefixRangeEnd(op.key)))) out.push(await entryOf(scope, kv, true));
      return out;
    }
    case 'check-index': {
      const now = await current();
      if (now === undefined) abort(i, `key "${name}" doesn't exist`);
      if (now.modRevision !== op.index) abort(i, `current modify index ${now.modRevision} != ${op.index}`);
      return [await entryOf(scope, now, false)];
    }
    case 'check-session': {
      const now = await current();
      if (now === undefined) abort(i, `key "${name}" doesn't exist`);
      const lock = await readRecord<LockRecord>(scope.kv, lockKey(op.key), 'lock');
      const holder = lock?.record.session ?? '';
      if (holder !== op.session) abort(i, `failed to check session for key "${name}", current session ${holder === '' ? '(none)' : `"${holder}"`} != "${op.session}"`);
      return [await entryOf(scope, now, false)];
    }
    case 'check-not-exists':
      if ((await current()) !== undefined) abort(i, `key "${name}" exists`);
      return [];
    case 'delete':
      await executeDeleteRange(scope, deleteRangeRequest(stored(op.key)));
      return [];
    case 'delete-tree':
      await executeDeleteRange(scope, deleteRangeRequest(stored(op.key), { rangeEnd: nsRangeEnd(NAMESPACE.kv, prefixRangeEnd(op.key)) }));
      return [];
    case 'delete-cas':
      await indexIs('delete');
      await executeDeleteRange(scope, deleteRangeRequest(stored(op.key)));
      return [];
  }
}

/** Consul's cas on a catalog record: 0 only if it does not exist yet, else its ModifyIndex. */
function casHolds(existing: Stored<unknown> | undefined, index: number): boolean {
  return index === 0 ? existing === undefined : existing?.modRevision === index;
}

/** What a node, service or check operation does with its kind of record. */
interface CatalogRecordOps<T> {
  /** How Consul names the record in its messages: node "n1", service "web" on node "n1". */
  readonly what: string;
  existing(): Promise<Stored<T> | undefined>;
  /** Writes it; reports it as written. */
  set(): Promise<ConsulTxnResult[]>;
  result(r: Stored<T>): ConsulTxnResult;
  remove(): Promise<void>;
}

/** Consul's verbs on a catalog record, the same for nodes, services and checks. */
async function applyCatalogVerb<T>(verb: ConsulCatalogVerb, index: number, i: number, k: CatalogRecordOps<T>): Promise<ConsulTxnResult[]> {
  switch (verb) {
    case 'cas':
      if (!casHolds(await k.existing(), index)) abort(i, `failed to set ${k.what}, index is stale`);
      return k.set();
    case 'set':
      return k.set();
    case 'get': {
      const found = await k.existing();
      if (found === undefined) abort(i, `${k.what} doesn't exist`);
      return [k.result(found)];
    }
    case 'delete-cas':
      if (index === 0 || !casHolds(await k.existing(), index)) abort(i, `failed to delete ${k.what}, index is stale`);
      await k.remove();
      return [];
    case 'delete':
      if ((await k.existing()) !== undefined) await k.remove();
      return [];
  }
}

/** The registered node a service or check operation is on, or the transaction fails. */
async function nodeOrAbort(scope: WriteScope, node: string, i: number, what: string): Promise<NodeRecord> {
  const n = await readRecord<NodeRecord>(scope.kv, nodeKey(node), 'node');
  if (n === undefined) abort(i, `failed to ${what}: node "${node}" doesn't exist`);
  return n.record;
}

function applyNodeOp(scope: WriteScope, op: Extract<ConsulTxnOp, { op: 'node' }>, i: number, effects: CheckEffects): Promise<ConsulTxnResult[]> {
  const name = op.node.name;
  const existing = (): Promise<Stored<NodeRecord> | undefined> => readRecord<NodeRecord>(scope.kv, nodeKey(name), 'node');
  return applyCatalogVerb(op.verb, op.index, i, {
    what: `node "${name}"`,
    existing,
    set: async () => {
      await applyRegister(scope, { type: 'register', node: op.node, skipNodeUpdate: false, service: undefined, checks: [], lease: 0n }, effects);
      return [{ kind: 'node', node: (await existing())! }];
    },
    result: (node) => ({ kind: 'node', node }),
    remove: () => applyDeregister(scope, { type: 'deregister', node: name, serviceId: '', checkId: '' }, effects),
  });
}

function applyServiceOp(scope: WriteScope, op: Extract<ConsulTxnOp, { op: 'service' }>, i: number, effects: CheckEffects): Promise<ConsulTxnResult[]> {
  const { node, id } = op.service;
  const existing = (): Promise<Stored<ServiceRecord> | undefined> => readRecord<ServiceRecord>(scope.kv, nodeServiceKey(node, id), 'service');
  return applyCatalogVerb(op.verb, op.index, i, {
    what: `service "${id}" on node "${node}"`,
    existing,
    set: async () => {
      const n = await nodeOrAbort(scope, node, i, `set service "${id}"`);
      await applyRegister(scope, { type: 'register', node: n, skipNodeUpdate: true, service: op.service, checks: [], lease: 0n }, effects);
      return [{ kind: 'service', service: (await existing())! }];
    },
    result: (service) => ({ kind: 'service', service }),
    remove: () => applyDeregister(scope, { type: 'deregister', node, serviceId: id, checkId: '' }, effects),
  });
}

function applyCheckOp(scope: WriteScope, op: Extract<ConsulTxnOp, { op: 'check' }>, i: number, effects: CheckEffects): Promise<ConsulTxnResult[]> {
  const { node, id } = op.check;
  const existing = (): Promise<Stored<CheckRecord> | undefined> => readRecord<CheckRecord>(scope.kv, nodeCheckKey(node, id), 'check');
  return applyCatalogVerb(op.verb, op.index, i, {
    what: `check "${id}" on node "${node}"`,
    existing,
    set: async () => {
      const n = await nodeOrAbort(scope, node, i, `set check "${id}"`);
      if (op.check.serviceId !== '' && (await readRecord<ServiceRecord>(scope.kv, nodeServiceKey(node, op.check.serviceId), 'service')) === undefined) abort(i, `failed to set check "${id}": service "${op.check.serviceId}" on node "${node}" doesn't exist`);
      await applyRegister(scope, { type: 'register', node: n, skipNodeUpdate: true, service: undefined, checks: [op.check], lease: 0n }, effects);
      return [{ kind: 'check', check: (await existing())! }];
    },
    result: (check) => ({ kind: 'check', check }),
    remove: () => applyDeregister(scope, { type: 'deregister', node, serviceId: '', checkId: id }, effects),
  });
}
