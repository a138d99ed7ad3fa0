import * as grpc from '@grpc/grpc-js';

/** A method's `option idempotency_level` in proto/ (protobuf's MethodOptions.IdempotencyLevel). */
export type Idempotency = 'NO_SIDE_EFFECTS' | 'IDEMPOTENT' | 'IDEMPOTENCY_UNKNOWN';

/**
 * The idempotency a method's definition declares (proto-loader keeps method options); methods
 * without the option, and definitions not loaded from proto/, are treated as writes.
 */
export function idempotencyOf(def: object | undefined): Idempotency {
  // grpc-js's MethodDefinition type omits `options`; proto-loader's definitions carry them.
  const level = (def as { options?: { idempotency_level?: unknown } } | undefined)?.options?.idempotency_level;
  return level === 'NO_SIDE_EFFECTS' || level === 'IDEMPOTENT' ? level : 'IDEMPOTENCY_UNKNOWN';
}

/**
 * Failures that leave it unknown whether the server executed the request: the deadline passed,
 * the connection broke (CANCELLED, INTERNAL, UNKNOWN from a dropped stream), or the server went
 * away (UNAVAILABLE) after the request may have gone out.
 */
const AMBIGUOUS = new Set<number>([grpc.status.UNAVAILABLE, grpc.status.DEADLINE_EXCEEDED, grpc.status.CANCELLED, grpc.status.INTERNAL, grpc.status.UNKNOWN]);

/**
 * A server's refusal that says the request was not executed: it is not (or knows no) leader,
 * it is handing leadership over (the core refuses proposals before taking them), or it cannot
 * write its Raft log (DISK_FAULT, refused before proposing), or it is stopping (SHUTTING_DOWN:
 * it takes no new writes while those in flight finish).
 */
const REFUSED_CODES = new Set(['NOT_LEADER', 'NO_LEADER', 'TRANSFER_IN_PROGRESS', 'DISK_FAULT', 'SHUTTING_DOWN']);

/**
 * A server still waiting to found its cluster (--bootstrap-expect) did not execute the request
 * either, but may wait much longer than a call: another server is tried, this one not waited for.
 */
const WAITING_CODES = new Set(['BOOTSTRAPPING']);

/** What the server said a refusal was (the `roster-error-code` metadata), if anything. */
function rosterCode(err: grpc.ServiceError): string | undefined {
  const v = err.metadata?.get('roster-error-code')[0];
  return typeof v === 'string' ? v : undefined;
}

/** Whether a live server refused the request before executing it (no leader, stopping, ...). */
export function refusedByServer(err: unknown): boolean {
  if (typeof err !== 'object' || err === null || typeof (err as { code?: unknown }).code !== 'number') return false;
  const e = err as grpc.ServiceError;
  return e.code === grpc.status.UNAVAILABLE && REFUSED_CODES.has(rosterCode(e) ?? '');
}

/**
 * Whether the request certainly was not executed: no connection was ever made (nothing was
 * sent), or a server refused it as not the leader (a follower refuses before proposing).
 */
export function certainlyNotExecuted(err: unknown): boolean {
  if (refusedByServer(err)) return true;
  if (typeof err === 'object' && err !== null && (err as { code?: unknown }).code === grpc.status.UNAVAILABLE && WAITING_CODES.has(rosterCode(err as grpc.ServiceError) ?? '')) return true;
  if (typeof err !== 'object' || err === null || typeof (err as { code?: unknown }).code !== 'number') return false;
  const e = err as grpc.ServiceError;
  if (e.code !== grpc.status.UNAVAILABLE) return false;
  // grpc-js fails a call this way when it found no connection to send it on.
  return /No connection established|ECONNREFUSED/.test(e.details ?? e.message);
}

/**
 * The one retry rule of Roster's clients (the SDK's Endpoints, the CLI through it, the agent's
 * forwarder and catalog): a failed call is sent again (to the same or another server) when it
 * certainly was not executed, or when it failed ambiguously and the method is harmless to run
 * twice (declared NO_SIDE_EFFECTS or IDEMPOTENT). A write whose outcome is unknown is never sent
 * again: its caller gets the failure and decides (a LeaseGrant timed out may have granted one).
 */
export function mayRetry(idempotency: Idempotency, err: unknown): boolean {
  if (certainlyNotExecuted(err)) return true;
  if (idempotency === 'IDEMPOTENCY_UNKNOWN') return false;
  return typeof err === 'object' && err !== null && AMBIGUOUS.has((err as { code?: number }).code ?? -1);
}
