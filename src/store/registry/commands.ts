import { RosterError } from '../../util/errors.js';
import type { Stored } from './record-io.js';
import type { CheckRecord, HealthStatus, NodeRecord, ServiceRecord, SessionBehavior } from './records.js';

/** A check as a registration gives it: without a status it keeps its current one (a new one starts critical). */
export type CheckInput = Omit<CheckRecord, 'status'> & { readonly status: HealthStatus | '' };

/**
 * Consul's catalog register: a node, optionally one service on it and checks, in one atomic
 * change. `lease` (0n: none) attaches the service to an etcd lease: when the lease ends, the
 * service goes with its checks.
 */
export interface RegisterCommand {
  readonly type: 'register';
  readonly node: NodeRecord;
  /** Leave an existing node record as it is (only create it if missing). */
  readonly skipNodeUpdate: boolean;
  readonly service: ServiceRecord | undefined;
  readonly checks: readonly CheckInput[];
  readonly lease: bigint;
  /**
   * A check this turns critical does not end the sessions bound to it. The leader sets it while
   * it holds back for a suspected network fault (self-preservation); when the episode ends it
   * ends the sessions whose checks are still critical, so the rule that a session dies with its
   * checks is delayed, never dropped. Entries without the field end them, as before.
   */
  readonly keepSessions?: boolean;
  /**
   * A node this creates for its service is marked as made for it (NodeRecord.implicit) and goes
   * with its last service. The leader sets it once every server applies it (features.ts); an
   * entry without it marks nothing, as before.
   */
  readonly implicitNodes?: boolean;
}

/** Removes a check, or a service with its checks, or (neither given) a node with everything on it. */
export interface DeregisterCommand {
  readonly type: 'deregister';
  readonly node: string;
  readonly serviceId: string;
  readonly checkId: string;
}

/** A check's status and output changed (a TTL renewal that changed them, an expiry, an agent's run). */
export interface UpdateCheckCommand {
  readonly type: 'updateCheck';
  readonly node: string;
  readonly checkId: string;
  readonly status: HealthStatus;
  readonly output: string;
  /** As RegisterCommand's. */
  readonly keepSessions?: boolean;
}

/** Consul's session create; the proposer picks the id. */
export interface SessionCreateCommand {
  readonly type: 'sessionCreate';
  readonly id: string;
  readonly name: string;
  readonly node: string;
  /** The node's checks to bind to; 'default' binds to serfHealth if the node has it. */
  readonly checks: readonly string[] | 'default';
  readonly ttlMs: number;
  readonly behavior: SessionBehavior;
  readonly lockDelayMs: number;
}

/** Ends a session (explicitly, or because its TTL ran out): its locks are released or deleted. */
export interface SessionDestroyCommand {
  readonly type: 'sessionDestroy';
  readonly id: string;
}

/** Takes the lock on an etcd key for a session and writes the key's value. */
export interface LockAcquireCommand {
  readonly type: 'lockAcquire';
  /** The etcd key (base64 in the log). */
  readonly key: Uint8Array;
  readonly value: Uint8Array;
  readonly session: string;
  /**
   * The revision at which the leader found no lock delay on the key. A session ending that
   * released the key after it was not seen by that check (its entry was ahead of this one in
   * the log), so the lock is not granted: the client asks again and meets the delay.
   */
  readonly delayCheckedAt?: number;
}

export interface LockReleaseCommand {
  readonly type: 'lockRelease';
  readonly key: Uint8Array;
  readonly session: string;
}

/** Consul's KV verbs in a transaction. */
export const CONSUL_KV_VERBS = ['set', 'cas', 'lock', 'unlock', 'get', 'get-tree', 'check-index', 'check-session', 'check-not-exists', 'delete', 'delete-tree', 'delete-cas'] as const;
export type ConsulKvVerb = (typeof CONSUL_KV_VERBS)[number];
/** Consul's node, service and check verbs in a transaction. */
export const CONSUL_CATALOG_VERBS = ['set', 'cas', 'get', 'delete', 'delete-cas'] as const;
export type ConsulCatalogVerb = (typeof CONSUL_CATALOG_VERBS)[number];

/** One operation of a Consul transaction; `index` is the ModifyIndex a cas verb expects. */
export type ConsulTxnOp =
  | { readonly op: 'kv'; readonly verb: ConsulKvVerb; readonly key: Uint8Array; readonly value: Uint8Array; readonly flags: bigint; readonly index: number; readonly session: string }
  | { readonly op: 'node'; readonly verb: ConsulCatalogVerb; readonly node: NodeRecord; readonly index: number }
  /** The service's node (service.node) must be registered. */
  | { readonly op: 'service'; readonly verb: ConsulCatalogVerb; readonly service: ServiceRecord; readonly index: number }
  | { readonly op: 'check'; readonly verb: ConsulCatalogVerb; readonly check: CheckInput; readonly index: number };

/**
 * Consul's /v1/txn (and a KV write with flags): its operations apply in order, each seeing the
 * ones before, as one command. The first that fails throws TXN_ABORTED with its index, and the
 * store undoes the whole command (a failed command changes nothing).
 */
export interface ConsulTxnCommand {
  readonly type: 'consulTxn';
  readonly ops: readonly ConsulTxnOp[];
  /** As LockAcquireCommand's, for the lock operations. */
  readonly delayCheckedAt?: number;
}

/** What an operation reports: a KV entry (without its value except for get and get-tree), or a catalog record. */
export type ConsulTxnResult =
  | { readonly kind: 'kv'; readonly key: Uint8Array; readonly value: Uint8Array | undefined; readonly flags: bigint; readonly lockIndex: number; readonly session: string; readonly createRevision: number; readonly modRevision: number }
  | { readonly kind: 'node'; readonly node: Stored<NodeRecord> }
  | { readonly kind: 'service'; readonly service: Stored<ServiceRecord> }
  | { readonly kind: 'check'; readonly check: Stored<CheckRecord> };

export type RegistryCommand = RegisterCommand | DeregisterCommand | UpdateCheckCommand | SessionCreateCommand | SessionDestroyCommand | LockAcquireCommand | LockReleaseCommand | ConsulTxnCommand;

export const REGISTRY_COMMAND_TYPES: ReadonlySet<string> = new Set(['register', 'deregister', 'updateCheck', 'sessionCreate', 'sessionDestroy', 'lockAcquire', 'lockRelease', 'consulTxn']);

/** A session that ended while a command applied, with the keys it held (for the lock delay). */
export interface EndedSession {
  readonly id: string;
  readonly lockDelayMs: number;
  readonly keys: readonly Uint8Array[];
}

export interface RegistryResponse {
  readonly type: RegistryCommand['type'];
  /** The store revision after the command (unchanged when it changed nothing). */
  readonly revision: number;
  /** Whether the command changed anything. */
  readonly changed: boolean;
  /** lockAcquire: whether the session holds the lock now. lockRelease: whether it released it. */
  readonly granted?: boolean;
  /** lockAcquire: the lock's index (times taken) and its holder after the command. */
  readonly lockIndex?: number;
  readonly holder?: string;
  /** consulTxn: what its operations reported, in order. */
  readonly txn?: readonly ConsulTxnResult[];
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * JSON, with 64-bit integers as "<digits>n" strings and bytes as {"b64": ...} (JSON has
 * neither).
 */
export function encodeRegistryCommand(cmd: RegistryCommand): Uint8Array {
  return encoder.encode(
    JSON.stringify(cmd, (_k, v: unknown) => {
      if (typeof v === 'bigint') return `${v}n`;
      if (v instanceof Uint8Array) return { b64: Buffer.from(v).toString('base64') };
      return v;
    }),
  );
}

/**
 * Decodes an entry's command. Malformed bytes are BAD_COMMAND; the shape of what decodes is
 * checked when it applies (validate.ts), so a wrong field fails that one command everywhere alike.
 */
export function decodeRegistryCommand(bytes: Uint8Array): RegistryCommand {
  let raw: unknown;
  try {
    raw = JSON.parse(decoder.decode(bytes), (_k, v: unknown) => {
      if (typeof v === 'string' && /^-?\d+n$/.test(v)) return BigInt(v.slice(0, -1));
      if (typeof v === 'object' && v !== null && typeof (v as { b64?: unknown }).b64 === 'string') return new Uint8Array(Buffer.from((v as { b64: string }).b64, 'base64'));
      return v;
    });
  } catch (err) {
    throw new RosterError('BAD_COMMAND', `registry command: ${String(err)}`);
  }
  if (typeof raw !== 'object' || raw === null || !REGISTRY_COMMAND_TYPES.has(String((raw as { type?: unknown }).type))) {
    throw new RosterError('BAD_COMMAND', 'registry command: unknown type');
  }
  return raw as RegistryCommand;
}
