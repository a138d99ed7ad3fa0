import { kvError } from '../kv/kv-errors.js';
import { getLease } from '../kv/lease-layout.js';
import type { WriteScope } from '../kv/write-scope.js';
import { CatalogChange } from './catalog-change.js';
import type { DeregisterCommand, RegisterCommand, UpdateCheckCommand } from './commands.js';
import { nodeCheckKey, nodeChecksOf, nodeKey, nodeServiceKey, nodeServicesOf } from './keys.js';
import { deleteRecord, readRecord, scanRecords, writeRecord } from './record-io.js';
import { checkRecord, nodeRecord, serviceRecord, type CheckRecord, type NodeRecord, type ServiceRecord, type SessionRecord } from './records.js';
import { NAMESPACE, namespaceEnd, namespaceStart } from '../kv/namespace.js';
import { registryError } from './registry-errors.js';

/** What a catalog command did to checks, for the session rules (a critical check ends its sessions). */
export interface CheckEffects {
  /** Checks that became critical or were removed: sessions bound to them are invalidated. */
  readonly failed: { node: string; checkId: string }[];
  /** Nodes removed: their sessions are invalidated. */
  readonly nodesRemoved: string[];
}

export function noEffects(): CheckEffects {
  return { failed: [], nodesRemoved: [] };
}

/**
 * Consul's catalog register: the node (unless skipped and present), the service, the checks, and
 * then every view they change. Writing what is already there writes nothing.
 */
export async function applyRegister(scope: WriteScope, cmd: RegisterCommand, effects: CheckEffects): Promise<void> {
  if (cmd.lease !== 0n && (await getLease(scope.kv, cmd.lease)) === undefined) throw kvError('LEASE_NOT_FOUND', { lease: cmd.lease.toString() });
  const change = new CatalogChange(scope);
  const name = cmd.node.name;
  const existingNode = await readRecord<NodeRecord>(scope.kv, nodeKey(name), 'node');
  if (existingNode === undefined || !cmd.skipNodeUpdate) {
    // Made for a service (kept so while only services are registered on it), or registered itself.
    const implicit = cmd.implicitNodes === true && cmd.service !== undefined && (existingNode === undefined || existingNode.record.implicit === true);
    // The node's instances are rebuilt only when the node record changed: a host re-registering
    // one of its services (a deploy) rebuilds that one instance, not every instance on the host.
    // Touching them after the node write is still before any service record of this command
    // changes, so each keeps the name it had before (see CatalogChange).
    if (await writeRecord(scope, nodeKey(name), nodeRecord(cmd.node, implicit))) await change.touchNode(name);
  }
  if (cmd.service !== undefined) {
    await change.touchService(name, cmd.service.id);
    await writeRecord(scope, nodeServiceKey(name, cmd.service.id), serviceRecord(cmd.service), { lease: cmd.lease });
  }
  for (const c of cmd.checks) {
    let serviceName = '';
    if (c.serviceId !== '') {
      const svc = await readRecord<ServiceRecord>(scope.kv, nodeServiceKey(name, c.serviceId), 'service');
      if (svc === undefined) throw registryError('SERVICE_NOT_FOUND', `check ${c.id}: no service ${c.serviceId} on node ${name}`, { node: name, serviceId: c.serviceId });
      serviceName = svc.record.name;
      await change.touchService(name, c.serviceId);
    }
    const existing = await readRecord<CheckRecord>(scope.kv, nodeCheckKey(name, c.id), 'check');
    const status = c.status !== '' ? c.status : (existing?.record.status ?? 'critical');
    if (await writeRecord(scope, nodeCheckKey(name, c.id), checkRecord({ ...c, serviceName, status }))) {
      // A node-level check that changed changes every instance on the node, and a check that
      // belonged elsewhere before (another service, or the node) leaves those views. Touched
      // after the write: no service record changes past this point but the ones already touched.
      if (c.serviceId === '') await change.touchNode(name);
      const before = existing?.record.serviceId;
      if (before !== undefined && before !== c.serviceId) await (before === '' ? change.touchNode(name) : change.touchService(name, before));
    }
    if (status === 'critical' && existing?.record.status !== 'critical' && cmd.keepSessions !== true) effects.failed.push({ node: name, checkId: c.id });
  }
  await change.finish();
}

/** Removes a check, or a service and its checks, or a whole node; removing what is not there is a no-op. */
export async function applyDeregister(scope: WriteScope, cmd: DeregisterCommand, effects: CheckEffects): Promise<void> {
  const change = new CatalogChange(scope);
  if (cmd.checkId !== '') {
    const check = await readRecord<CheckRecord>(scope.kv, nodeCheckKey(cmd.node, cmd.checkId), 'check');
    if (check === undefined) return;
    if (check.record.serviceId === '') await change.touchNode(cmd.node);
    else await change.touchService(cmd.node, check.record.serviceId);
    await deleteRecord(scope, nodeCheckKey(cmd.node, cmd.checkId));
    effects.failed.push({ node: cmd.node, checkId: cmd.checkId });
    await dropEmptyImplicitNode(scope, change, cmd.node, effects);
  } else if (cmd.serviceId !== '') {
    await removeService(scope, change, cmd.node, cmd.serviceId, effects);
  } else {
    if ((await readRecord<NodeRecord>(scope.kv, nodeKey(cmd.node), 'node')) === undefined) return;
    await change.touchNode(cmd.node);
    for await (const s of scanRecords<ServiceRecord>(scope.kv, nodeServicesOf(cmd.node), 'service')) await deleteRecord(scope, s.key);
    for await (const c of scanRecords<CheckRecord>(scope.kv, nodeChecksOf(cmd.node), 'check')) await deleteRecord(scope, c.key);
    await deleteRecord(scope, nodeKey(cmd.node));
    effects.nodesRemoved.push(cmd.node);
  }
  await change.finish();
}

async function removeService(scope: WriteScope, change: CatalogChange, node: string, id: string, effects: CheckEffects): Promise<boolean> {
  const key = nodeServiceKey(node, id);
  if ((await readRecord<ServiceRecord>(scope.kv, key, 'service')) === undefined) return false;
  await change.touchService(node, id);
  await deleteRecord(scope, key);
  for await (const c of scanRecords<CheckRecord>(scope.kv, nodeChecksOf(node), 'check')) {
    if (c.record.serviceId !== id) continue;
    await deleteRecord(scope, c.key);
    effects.failed.push({ node, checkId: c.record.id });
  }
  await dropEmptyImplicitNode(scope, change, node, effects);
  return true;
}

/**
 * A node that exists only for its services (NodeRecord.implicit) goes with the last of them,
 * unless it has checks (a node check, the member check of an agent above all) or sessions (a
 * lock held by an application on that node must not end because its service did).
 */
async function dropEmptyImplicitNode(scope: WriteScope, change: CatalogChange, node: string, effects: CheckEffects): Promise<void> {
  const n = await readRecord<NodeRecord>(scope.kv, nodeKey(node), 'node');
  if (n?.record.implicit !== true) return;
  for await (const _ of scanRecords<ServiceRecord>(scope.kv, nodeServicesOf(node), 'service')) return;
  for await (const _ of scanRecords<CheckRecord>(scope.kv, nodeChecksOf(node), 'check')) return;
  for await (const s of scanRecords<SessionRecord>(scope.kv, { start: namespaceStart(NAMESPACE.sessions), end: namespaceEnd(NAMESPACE.sessions) }, 'session')) if (s.record.node === node) return;
  await change.touchNode(node);
  await deleteRecord(scope, nodeKey(node));
  effects.nodesRemoved.push(node);
}

/** A check's new status and output; the same again writes nothing. */
export async function applyUpdateCheck(scope: WriteScope, cmd: UpdateCheckCommand, effects: CheckEffects): Promise<void> {
  const key = nodeCheckKey(cmd.node, cmd.checkId);
  const check = await readRecord<CheckRecord>(scope.kv, key, 'check');
  if (check === undefined) throw registryError('CHECK_NOT_FOUND', `no check ${cmd.checkId} on node ${cmd.node}`, { node: cmd.node, checkId: cmd.checkId });
  if (check.record.status === cmd.status && check.record.output === cmd.output) return;
  const change = new CatalogChange(scope);
  if (check.record.serviceId === '') await change.touchNode(cmd.node);
  else await change.touchService(cmd.node, check.record.serviceId);
  await writeRecord(scope, key, checkRecord({ ...check.record, status: cmd.status, output: cmd.output }));
  if (cmd.status === 'critical' && check.record.status !== 'critical' && cmd.keepSessions !== true) effects.failed.push({ node: cmd.node, checkId: cmd.checkId });
  await change.finish();
}

/** A service attached to a revoked lease goes, with its checks. */
export async function revokeService(scope: WriteScope, node: string, id: string, effects: CheckEffects): Promise<boolean> {
  const change = new CatalogChange(scope);
  const removed = await removeService(scope, change, node, id, effects);
  await change.finish();
  return removed;
}
