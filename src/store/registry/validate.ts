import { CHECK_TYPES, HEALTH_STATUSES, type Meta, type NodeRecord, type ServiceRecord } from './records.js';
import { CONSUL_CATALOG_VERBS, CONSUL_KV_VERBS, type CheckInput, type ConsulTxnOp, type RegisterCommand, type RegistryCommand } from './commands.js';
import { MAX_KV_FLAGS } from './kv-flags.js';

/** Consul's limit on the operations of one transaction. */
export const CONSUL_TXN_MAX_OPS = 64;
import { registryError } from './registry-errors.js';

/**
 * The limits of a registration, checked by the API before proposing and again when the command
 * applies (so a command means the same thing on every server, whoever proposed it). Consul's
 * limits where it has them: 64 meta pairs, keys up to 128 bytes, values up to 512.
 */
export const REGISTRY_LIMITS = {
  nameBytes: 256,
  tags: 64,
  tagBytes: 256,
  metaPairs: 64,
  metaKeyBytes: 128,
  metaValueBytes: 512,
  checksPerRegistration: 64,
  /** Check output is cut to this by the API (Consul's default output limit is 4 KB). */
  outputBytes: 4096,
  notesBytes: 1024,
  addressBytes: 256,
  /** Consul's session TTL range is 10 s to 24 h; Roster allows down to 1 s (tests, fast failover). */
  sessionTtlMs: { min: 1_000, max: 86_400_000 },
  /** Consul caps the lock delay at 60 s. */
  lockDelayMs: 60_000,
  lockKeyBytes: 4096,
  /** Consul's KV value limit. */
  lockValueBytes: 512 * 1024,
  sessionChecks: 32,
} as const;

const utf8 = new TextEncoder();
const bytes = (s: string): number => utf8.encode(s).length;

function bad(field: string, why: string): never {
  throw registryError('INVALID_REGISTRATION', `${field}: ${why}`, { field });
}

function str(v: unknown, field: string): string {
  if (typeof v !== 'string') bad(field, 'must be a string');
  return v;
}

/** A name used in keys: non-empty, no 0x00 (the key separator), bounded. */
export function checkName(v: unknown, field: string): void {
  const s = str(v, field);
  if (s.length === 0) bad(field, 'is required');
  if (s.includes('\u0000')) bad(field, 'must not contain NUL');
  if (bytes(s) > REGISTRY_LIMITS.nameBytes) bad(field, `longer than ${REGISTRY_LIMITS.nameBytes} bytes`);
}

function checkMeta(v: unknown, field: string): void {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) bad(field, 'must be a map of strings');
  const entries = Object.entries(v as Meta);
  if (entries.length > REGISTRY_LIMITS.metaPairs) bad(field, `more than ${REGISTRY_LIMITS.metaPairs} pairs`);
  for (const [k, val] of entries) {
    if (k.length === 0 || bytes(k) > REGISTRY_LIMITS.metaKeyBytes) bad(`${field}.${k}`, `keys must be 1-${REGISTRY_LIMITS.metaKeyBytes} bytes`);
    if (bytes(str(val, `${field}.${k}`)) > REGISTRY_LIMITS.metaValueBytes) bad(`${field}.${k}`, `longer than ${REGISTRY_LIMITS.metaValueBytes} bytes`);
  }
}

function checkBounded(v: unknown, field: string, max: number): void {
  if (bytes(str(v, field)) > max) bad(field, `longer than ${max} bytes`);
}

function checkInt(v: unknown, field: string, min: number, max: number): void {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) bad(field, `must be a whole number in ${min}..${max}`);
}

function checkStatus(v: unknown, field: string, allowEmpty: boolean): void {
  if (allowEmpty && v === '') return;
  if (!HEALTH_STATUSES.includes(v as never)) bad(field, `must be one of ${HEALTH_STATUSES.join(', ')}`);
}

/** One check of a registration (at `f`, such as checks[0]), on node `node`. */
export function checkCheck(c: CheckInput, f: string, node: string): void {
  if (typeof c !== 'object' || c === null) bad(f, 'must be an object');
  if (c.node !== node) bad(`${f}.node`, 'must be the registered node');
  checkName(c.id, `${f}.id`);
  checkName(c.name, `${f}.name`);
  if (c.serviceId !== '') checkName(c.serviceId, `${f}.serviceId`);
  str(c.serviceName, `${f}.serviceName`);
  checkStatus(c.status, `${f}.status`, true);
  checkBounded(c.output, `${f}.output`, REGISTRY_LIMITS.outputBytes);
  checkBounded(c.notes, `${f}.notes`, REGISTRY_LIMITS.notesBytes);
  if (!CHECK_TYPES.includes(c.type)) bad(`${f}.type`, `must be one of ${CHECK_TYPES.join(', ')}`);
  checkInt(c.ttlMs, `${f}.ttlMs`, 0, 10 * 365 * 86_400_000);
  if (c.type === 'ttl' && c.ttlMs <= 0) bad(`${f}.ttlMs`, 'a TTL check needs a TTL');
  checkInt(c.deregisterCriticalAfterMs, `${f}.deregisterCriticalAfterMs`, 0, 10 * 365 * 86_400_000);
  checkMeta(c.definition, `${f}.definition`);
}

/** A node record. */
export function checkNode(n: NodeRecord): void {
  if (typeof n !== 'object' || n === null) bad('node', 'is required');
  checkName(n.name, 'node.name');
  checkName(n.address, 'node.address');
  checkBounded(n.address, 'node.address', REGISTRY_LIMITS.addressBytes);
  checkBounded(n.datacenter, 'node.datacenter', REGISTRY_LIMITS.nameBytes);
  checkMeta(n.meta, 'node.meta');
}

/** A service record on node `node`. */
export function checkService(s: ServiceRecord, node: string): void {
  if (typeof s !== 'object' || s === null) bad('service', 'is required');
  if (s.node !== node) bad('service.node', 'must be the registered node');
  checkName(s.id, 'service.id');
  checkName(s.name, 'service.name');
  if (!Array.isArray(s.tags) || s.tags.length > REGISTRY_LIMITS.tags) bad('service.tags', `at most ${REGISTRY_LIMITS.tags} tags`);
  s.tags.forEach((t, i) => checkBounded(t, `service.tags[${i}]`, REGISTRY_LIMITS.tagBytes));
  checkBounded(s.address, 'service.address', REGISTRY_LIMITS.addressBytes);
  checkInt(s.port, 'service.port', 0, 65535);
  checkMeta(s.meta, 'service.meta');
  if (typeof s.weights !== 'object' || s.weights === null) bad('service.weights', 'is required');
  checkInt(s.weights.passing, 'service.weights.passing', 1, 65535);
  checkInt(s.weights.warning, 'service.weights.warning', 0, 65535);
}

export function validateRegister(cmd: RegisterCommand): void {
  const n = cmd.node;
  checkNode(n);
  if (typeof cmd.skipNodeUpdate !== 'boolean') bad('skipNodeUpdate', 'must be a boolean');
  if (cmd.keepSessions !== undefined && typeof cmd.keepSessions !== 'boolean') bad('keepSessions', 'must be a boolean');
  if (cmd.implicitNodes !== undefined && typeof cmd.implicitNodes !== 'boolean') bad('implicitNodes', 'must be a boolean');
  if (typeof cmd.lease !== 'bigint') bad('lease', 'must be an int64');
  const s = cmd.service;
  if (s !== undefined) {
    checkService(s, n.name);
  } else if (cmd.lease !== 0n) {
    bad('lease', 'only a service can be attached to a lease');
  }
  if (!isList(cmd.checks) || cmd.checks.length > REGISTRY_LIMITS.checksPerRegistration) bad('checks', `at most ${REGISTRY_LIMITS.checksPerRegistration}`);
  const ids = new Set<string>();
  cmd.checks.forEach((c, i) => {
    checkCheck(c, `checks[${i}]`, n.name);
    if (ids.has(c.id)) bad(`checks[${i}].id`, `duplicate check id ${c.id}`);
    ids.add(c.id);
    if (c.serviceId !== '' && s !== undefined && c.serviceId !== s.id) bad(`checks[${i}].serviceId`, 'a check registered with a service must belong to it (or to the node)');
  });
}

/** Array.isArray without its type guard, which narrows a readonly array to any[]. */
function isList(value: unknown): boolean {
  return Array.isArray(value);
}

/** One operation of a Consul transaction, at `f` (ops[3]). */
function checkTxnOp(op: ConsulTxnOp, f: string): void {
  if (typeof op !== 'object' || op === null) bad(f, 'must be an object');
  const writes = op.verb === 'set' || op.verb === 'cas';
  switch (op.op) {
    case 'kv': {
      if (!CONSUL_KV_VERBS.includes(op.verb)) bad(`${f}.verb`, `must be one of ${CONSUL_KV_VERBS.join(', ')}`);
      const tree = op.verb === 'get-tree' || op.verb === 'delete-tree';
      if (!(op.key instanceof Uint8Array) || (op.key.length === 0 && !tree) || op.key.length > REGISTRY_LIMITS.lockKeyBytes) bad(`${f}.key`, `must be 1-${REGISTRY_LIMITS.lockKeyBytes} bytes`);
      if (!(op.value instanceof Uint8Array) || op.value.length > REGISTRY_LIMITS.lockValueBytes) bad(`${f}.value`, `at most ${REGISTRY_LIMITS.lockValueBytes} bytes`);
      if (typeof op.flags !== 'bigint' || op.flags < 0n || op.flags > MAX_KV_FLAGS) bad(`${f}.flags`, 'must be a uint64');
      checkInt(op.index, `${f}.index`, 0, Number.MAX_SAFE_INTEGER);
      if (op.verb === 'lock' || op.verb === 'unlock' || op.verb === 'check-session') checkName(op.session, `${f}.session`);
      return;
    }
    case 'node':
      if (!CONSUL_CATALOG_VERBS.includes(op.verb)) bad(`${f}.verb`, `must be one of ${CONSUL_CATALOG_VERBS.join(', ')}`);
      if (writes) checkNode(op.node);
      else checkName(op.node?.name, `${f}.node.name`);
      break;
    case 'service':
      if (!CONSUL_CATALOG_VERBS.includes(op.verb)) bad(`${f}.verb`, `must be one of ${CONSUL_CATALOG_VERBS.join(', ')}`);
      checkName(op.service?.node, `${f}.service.node`);
      if (writes) checkService(op.service, op.service.node);
      else checkName(op.service.id, `${f}.service.id`);
      break;
    case 'check':
      if (!CONSUL_CATALOG_VERBS.includes(op.verb)) bad(`${f}.verb`, `must be one of ${CONSUL_CATALOG_VERBS.join(', ')}`);
      checkName(op.check?.node, `${f}.check.node`);
      if (writes) checkCheck(op.check, `${f}.check`, op.check.node);
      else checkName(op.check.id, `${f}.check.id`);
      break;
    default:
      bad(`${f}.op`, 'must be kv, node, service or check');
  }
  checkInt(op.index, `${f}.index`, 0, Number.MAX_SAFE_INTEGER);
}

export function validateRegistryCommand(cmd: RegistryCommand): void {
  switch (cmd.type) {
    case 'consulTxn':
      if (!isList(cmd.ops) || cmd.ops.length === 0 || cmd.ops.length > CONSUL_TXN_MAX_OPS) bad('ops', `1-${CONSUL_TXN_MAX_OPS} operations`);
      if (cmd.delayCheckedAt !== undefined && !(Number.isSafeInteger(cmd.delayCheckedAt) && cmd.delayCheckedAt >= 0)) bad('delayCheckedAt', 'a revision (a non-negative integer)');
      cmd.ops.forEach((op, i) => checkTxnOp(op, `ops[${i}]`));
      return;
    case 'register':
      return validateRegister(cmd);
    case 'deregister':
      checkName(cmd.node, 'node');
      if (cmd.serviceId !== '') checkName(cmd.serviceId, 'serviceId');
      if (cmd.checkId !== '') checkName(cmd.checkId, 'checkId');
      if (cmd.serviceId !== '' && cmd.checkId !== '') bad('checkId', 'deregister a service or a check, not both');
      return;
    case 'updateCheck':
      checkName(cmd.node, 'node');
      checkName(cmd.checkId, 'checkId');
      checkStatus(cmd.status, 'status', false);
      checkBounded(cmd.output, 'output', REGISTRY_LIMITS.outputBytes);
      if (cmd.keepSessions !== undefined && typeof cmd.keepSessions !== 'boolean') bad('keepSessions', 'must be a boolean');
      return;
    case 'sessionCreate': {
      checkName(cmd.id, 'id');
      checkBounded(cmd.name, 'name', REGISTRY_LIMITS.nameBytes);
      checkName(cmd.node, 'node');
      if (cmd.checks !== 'default') {
        if (!isList(cmd.checks) || cmd.checks.length > REGISTRY_LIMITS.sessionChecks) bad('checks', `at most ${REGISTRY_LIMITS.sessionChecks}`);
        cmd.checks.forEach((c, i) => checkName(c, `checks[${i}]`));
      }
      if (cmd.ttlMs !== 0) checkInt(cmd.ttlMs, 'ttlMs', REGISTRY_LIMITS.sessionTtlMs.min, REGISTRY_LIMITS.sessionTtlMs.max);
      checkInt(cmd.lockDelayMs, 'lockDelayMs', 0, REGISTRY_LIMITS.lockDelayMs);
      if (cmd.behavior !== 'release' && cmd.behavior !== 'delete') bad('behavior', 'must be release or delete');
      return;
    }
    case 'sessionDestroy':
      checkName(cmd.id, 'id');
      return;
    case 'lockAcquire':
    case 'lockRelease':
      if (!(cmd.key instanceof Uint8Array) || cmd.key.length === 0 || cmd.key.length > REGISTRY_LIMITS.lockKeyBytes) bad('key', `must be 1-${REGISTRY_LIMITS.lockKeyBytes} bytes`);
      checkName(cmd.session, 'session');
      if (cmd.type === 'lockAcquire' && (!(cmd.value instanceof Uint8Array) || cmd.value.length > REGISTRY_LIMITS.lockValueBytes)) bad('value', `at most ${REGISTRY_LIMITS.lockValueBytes} bytes`);
      if (cmd.type === 'lockAcquire' && cmd.delayCheckedAt !== undefined && !(Number.isSafeInteger(cmd.delayCheckedAt) && cmd.delayCheckedAt >= 0)) bad('delayCheckedAt', 'a revision (a non-negative integer)');
      return;
  }
}
