import { NAMESPACE, namespaceEnd, namespaceStart, nsKey } from '../kv/namespace.js';
import { executeDeleteRange, executePut } from '../kv/writes.js';
import { deleteRangeRequest, putRequest } from '../kv/requests.js';
import type { WriteScope } from '../kv/write-scope.js';
import type { CheckEffects } from './catalog-apply.js';
import type { EndedSession, LockAcquireCommand, LockReleaseCommand, SessionCreateCommand } from './commands.js';
import { lockKey, nodeCheckKey, nodeKey, sessionKey, sessionLockKey, sessionLocksOf } from './keys.js';
import { deleteRecord, readRecord, scanRecords, writeRecord } from './record-io.js';
import type { CheckRecord, LockRecord, NodeRecord, SessionRecord } from './records.js';
import { registryError } from './registry-errors.js';

/**
 * Consul's sessions and locks. A session belongs to a node and is bound to some of its checks;
 * it ends when one of them turns critical or disappears, when its node is deregistered, when it
 * is destroyed, or (the leader decides) when its TTL runs out. A lock on an etcd key is held by
 * one session at a time; when the holder ends, its locks are released (behavior 'release', the
 * keys stay) or its keys deleted ('delete').
 */

/** The check a session binds to by default, as in Consul: the node's gossip health. */
export const DEFAULT_SESSION_CHECK = 'serfHealth';

export async function applySessionCreate(scope: WriteScope, cmd: SessionCreateCommand): Promise<void> {
  if ((await readRecord<SessionRecord>(scope.kv, sessionKey(cmd.id), 'session')) !== undefined) throw registryError('SESSION_EXISTS', `session ${cmd.id} exists`, { id: cmd.id });
  if ((await readRecord<NodeRecord>(scope.kv, nodeKey(cmd.node), 'node')) === undefined) throw registryError('NODE_NOT_FOUND', `no node ${cmd.node}`, { node: cmd.node });
  let checks: string[];
  if (cmd.checks === 'default') {
    checks = (await readRecord<CheckRecord>(scope.kv, nodeCheckKey(cmd.node, DEFAULT_SESSION_CHECK), 'check')) === undefined ? [] : [DEFAULT_SESSION_CHECK];
  } else {
    checks = [...cmd.checks];
  }
  for (const id of checks) {
    const check = await readRecord<CheckRecord>(scope.kv, nodeCheckKey(cmd.node, id), 'check');
    if (check === undefined) throw registryError('CHECK_NOT_FOUND', `no check ${id} on node ${cmd.node}`, { node: cmd.node, checkId: id });
    if (check.record.status === 'critical') throw registryError('CHECK_CRITICAL', `check ${id} on node ${cmd.node} is critical`, { node: cmd.node, checkId: id });
  }
  const record: SessionRecord = { id: cmd.id, name: cmd.name, node: cmd.node, checks, ttlMs: cmd.ttlMs, behavior: cmd.behavior, lockDelayMs: cmd.lockDelayMs };
  await writeRecord(scope, sessionKey(cmd.id), record);
}

/**
 * Ends a session: each lock it holds is released (or its key deleted), then the session goes.
 * Returns what the lock delay needs, or undefined if there was no such session.
 */
export async function endSession(scope: WriteScope, id: string): Promise<EndedSession | undefined> {
  const session = await readRecord<SessionRecord>(scope.kv, sessionKey(id), 'session');
  if (session === undefined) return undefined;
  const keys: Uint8Array[] = [];
  // Deleting while scanning is safe: the overlay's scan is a snapshot.
  for await (const e of scope.kv.scan(sessionLocksOf(id))) {
    const kvKey = e.key.subarray(sessionLocksOf(id).gte.length);
    keys.push(kvKey.slice());
    scope.kv.del(e.key);
    const lock = await readRecord<LockRecord>(scope.kv, lockKey(kvKey), 'lock');
    if (lock === undefined || lock.record.session !== id) continue;
    // With a lock delay, the lock record stays, marked: an acquire already in the log behind
    // this entry, checked by the leader before it applied, must still be refused (applyLockAcquire).
    const delayed = session.record.lockDelayMs > 0 ? { delayed: true as const } : {};
    if (session.record.behavior === 'delete') {
      await executeDeleteRange(scope, deleteRangeRequest(nsKey(NAMESPACE.kv, kvKey)));
      if (session.record.lockDelayMs > 0) await writeRecord(scope, lockKey(kvKey), { session: '', lockIndex: 0, ...delayed } satisfies LockRecord);
      else await deleteRecord(scope, lockKey(kvKey));
    } else {
      await writeRecord(scope, lockKey(kvKey), { session: '', lockIndex: lock.record.lockIndex, ...delayed } satisfies LockRecord);
    }
  }
  await deleteRecord(scope, sessionKey(id));
  return { id, lockDelayMs: session.record.lockDelayMs, keys };
}

/** Every session that a failed check or a removed node ends. */
export async function sessionsEndedBy(scope: WriteScope, effects: CheckEffects): Promise<string[]> {
  if (effects.failed.length === 0 && effects.nodesRemoved.length === 0) return [];
  const failed = new Set(effects.failed.map((f) => `${f.node}\u0000${f.checkId}`));
  const nodes = new Set(effects.nodesRemoved);
  const out: string[] = [];
  for await (const s of scanRecords<SessionRecord>(scope.kv, { start: namespaceStart(NAMESPACE.sessions), end: namespaceEnd(NAMESPACE.sessions) }, 'session')) {
    const r = s.record;
    if (nodes.has(r.node) || r.checks.some((c) => failed.has(`${r.node}\u0000${c}`))) out.push(r.id);
  }
  return out;
}

export interface LockOutcome {
  readonly granted: boolean;
  readonly lockIndex: number;
  readonly holder: string;
}

/**
 * Consul's acquire: free (or already ours) -> the session holds the lock and the key gets the
 * value; held by another session -> nothing changes. The lock delay after a holder ended is the
 * leader's to enforce before proposing (it is a matter of time, not of replicated state).
 */
export async function applyLockAcquire(scope: WriteScope, cmd: LockAcquireCommand): Promise<LockOutcome> {
  if ((await readRecord<SessionRecord>(scope.kv, sessionKey(cmd.session), 'session')) === undefined) {
    throw registryError('SESSION_NOT_FOUND', `no session ${cmd.session}`, { session: cmd.session });
  }
  const lock = await readRecord<LockRecord>(scope.kv, lockKey(cmd.key), 'lock');
  const current = lock?.record ?? { session: '', lockIndex: 0 };
  if (current.session !== '' && current.session !== cmd.session) return { granted: false, lockIndex: current.lockIndex, holder: current.session };
  // Freed by a session ending after the leader's lock-delay check: that check could not see it.
  if (lock !== undefined && current.delayed === true && cmd.delayCheckedAt !== undefined && lock.modRevision > cmd.delayCheckedAt) return { granted: false, lockIndex: current.lockIndex, holder: '' };
  await executePut(scope, putRequest(nsKey(NAMESPACE.kv, cmd.key), cmd.value), 'lease-first');
  if (current.session === cmd.session) return { granted: true, lockIndex: current.lockIndex, holder: cmd.session };
  const next: LockRecord = { session: cmd.session, lockIndex: current.lockIndex + 1 }; // (not delayed any more)
  await writeRecord(scope, lockKey(cmd.key), next);
  scope.kv.put(sessionLockKey(cmd.session, cmd.key), new Uint8Array(0));
  return { granted: true, lockIndex: next.lockIndex, holder: cmd.session };
}

/** Releases the lock if `session` holds it; the key and its value stay. */
export async function applyLockRelease(scope: WriteScope, cmd: LockReleaseCommand): Promise<boolean> {
  const lock = await readRecord<LockRecord>(scope.kv, lockKey(cmd.key), 'lock');
  if (lock === undefined || lock.record.session !== cmd.session) return false;
  await writeRecord(scope, lockKey(cmd.key), { session: '', lockIndex: lock.record.lockIndex } satisfies LockRecord);
  scope.kv.del(sessionLockKey(cmd.session, cmd.key));
  return true;
}
