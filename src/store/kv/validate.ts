import { byteString } from './bytes.js';
import type { KvCommand } from './command.js';
import { kvError } from './kv-errors.js';
import { isFromKey } from './mvcc-read.js';
import type { DeleteRangeRequest, PutRequest, RangeRequest, RequestOp, TxnRequest } from './types.js';

/**
 * The checks etcd's gRPC layer makes before proposing (server/etcdserver/api/v3rpc/key.go),
 * with its errors. The API layer runs them to fail fast; the store runs them again when it
 * applies, so a command that skipped them still has one deterministic outcome everywhere.
 */

/** etcd's default --max-txn-ops. */
export const MAX_TXN_OPS = 128;

/**
 * Txns nested deeper than this are refused before they are proposed. etcd sets no depth, but a
 * response nested 50 deep exceeds protobufjs's nesting limit: such a txn would be applied and
 * then answered INTERNAL, and a client retrying it would apply it twice.
 */
export const MAX_TXN_DEPTH = 32;

export function validateRange(req: RangeRequest): void {
  if (req.key.length === 0) throw kvError('EMPTY_KEY');
}

export function validatePut(req: PutRequest): void {
  if (req.key.length === 0) throw kvError('EMPTY_KEY');
  if (req.ignoreValue && req.value.length !== 0) throw kvError('VALUE_PROVIDED');
  if (req.ignoreLease && req.lease !== 0n) throw kvError('LEASE_PROVIDED');
}

export function validateDeleteRange(req: DeleteRangeRequest): void {
  if (req.key.length === 0) throw kvError('EMPTY_KEY');
}

function validateOp(o: RequestOp, maxOps: number): void {
  switch (o.type) {
    case 'range':
      return validateRange(o.request);
    case 'put':
      return validatePut(o.request);
    case 'deleteRange':
      return validateDeleteRange(o.request);
    case 'txn':
      return validateTxnShape(o.request, maxOps);
  }
}

/**
 * etcd's checkTxnRequest: no list (compares, success, failure) longer than maxOps; then every
 * compare has a key; then every op, nested txns getting what is left of the budget, so nesting
 * cannot multiply it.
 */
function validateTxnShape(req: TxnRequest, maxOps: number): void {
  const opc = Math.max(req.compare.length, req.success.length, req.failure.length);
  if (opc > maxOps) throw kvError('TOO_MANY_OPS', { ops: opc, max: maxOps });
  for (const c of req.compare) if (c.key.length === 0) throw kvError('EMPTY_KEY');
  for (const o of req.success) validateOp(o, maxOps - opc);
  for (const o of req.failure) validateOp(o, maxOps - opc);
}

/** A deleted key interval over byteString ids (string order = byte order); end undefined = no end. */
interface Interval {
  readonly start: string;
  readonly end: string | undefined;
}

function deleteInterval(req: DeleteRangeRequest): Interval {
  const start = byteString(req.key);
  if (req.rangeEnd.length === 0) return { start, end: `${start}\u0000` }; // the point: [key, key\0)
  return { start, end: isFromKey(req.rangeEnd) ? undefined : byteString(req.rangeEnd) };
}

function deletes(dels: readonly Interval[], key: string): boolean {
  return dels.some((iv) => key >= iv.start && (iv.end === undefined || key < iv.end));
}

function duplicate(): never {
  throw kvError('DUPLICATE_KEY');
}

/**
 * etcd's checkIntervals, for one branch: no key may be put twice, nor put and deleted, across
 * the branch and the txns nested in it. A nested txn's two branches exclude each other, so the
 * same key may be put in both. Two deletes may overlap (the second finds nothing).
 *
 * One deliberate difference: a delete with rangeEnd [0x00] ("every key >= key") covers the keys
 * after it here; etcd's interval tree treats that end as the single byte 0x00 and misses them.
 */
function checkIntervals(ops: readonly RequestOp[]): { puts: Set<string>; dels: Interval[] } {
  const dels: Interval[] = [];
  for (const o of ops) if (o.type === 'deleteRange') dels.push(deleteInterval(o.request));
  const puts = new Set<string>();
  for (const o of ops) {
    if (o.type !== 'txn') continue;
    const then = checkIntervals(o.request.success);
    const otherwise = checkIntervals(o.request.failure);
    for (const k of then.puts) {
      if (puts.has(k) || deletes(dels, k)) duplicate();
      puts.add(k);
    }
    for (const k of otherwise.puts) {
      if ((puts.has(k) && !then.puts.has(k)) || deletes(dels, k)) duplicate();
      puts.add(k);
    }
    dels.push(...then.dels, ...otherwise.dels);
  }
  for (const o of ops) {
    if (o.type !== 'put') continue;
    const k = byteString(o.request.key);
    if (puts.has(k) || deletes(dels, k)) duplicate();
    puts.add(k);
  }
  return { puts, dels };
}

export function validateTxn(req: TxnRequest, maxOps: number = MAX_TXN_OPS): void {
  validateTxnShape(req, maxOps);
  // After the shape check, as etcd does, so the interval check never sees a huge request.
  checkIntervals(req.success);
  checkIntervals(req.failure);
}

/** Every check for a command; throws the RosterError etcd would answer with. */
export function validateKvCommand(cmd: KvCommand, maxTxnOps: number = MAX_TXN_OPS): void {
  switch (cmd.type) {
    case 'put':
      return validatePut(cmd.request);
    case 'deleteRange':
      return validateDeleteRange(cmd.request);
    case 'txn':
      return validateTxn(cmd.request, maxTxnOps);
    case 'compact':
      return;
    // A grant's TTL and id are bounded when it applies (leases.ts, MAX_LEASE_TTL); a revoke carries an id only.
    case 'leaseGrant':
    case 'leaseRevoke':
      return;
  }
}

/** How deep txns nest in `req` (1: no nested txn). */
export function txnDepth(req: TxnRequest): number {
  let deepest = 0;
  for (const o of [...req.success, ...req.failure]) if (o.type === 'txn') deepest = Math.max(deepest, txnDepth(o.request));
  return 1 + deepest;
}

/**
 * The checks before a command is proposed: every check the store makes when it applies, and
 * the API's own limits. Those are kept out of the apply path on purpose: a limit added there
 * would refuse, in a newer version, an entry an older one already applied from the same log.
 */
export function validateProposal(cmd: KvCommand, maxTxnOps: number = MAX_TXN_OPS): void {
  if (cmd.type === 'txn' && txnDepth(cmd.request) > MAX_TXN_DEPTH) throw kvError('TXN_TOO_DEEP', { max: MAX_TXN_DEPTH });
  validateKvCommand(cmd, maxTxnOps);
}

/** etcd's isTxnReadonly: both branches hold ranges only (no write, no nested txn). */
export function isReadOnlyTxn(req: TxnRequest): boolean {
  return req.success.every((o) => o.type === 'range') && req.failure.every((o) => o.type === 'range');
}
