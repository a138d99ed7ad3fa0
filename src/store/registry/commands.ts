import { RosterError } from '../../util/errors.js';
import type { CheckRecord, HealthStatus, NodeRecord, ServiceRecord } from './records.js';

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
}

export type RegistryCommand = RegisterCommand | DeregisterCommand | UpdateCheckCommand;

export const REGISTRY_COMMAND_TYPES: ReadonlySet<string> = new Set(['register', 'deregister', 'updateCheck']);

export interface RegistryResponse {
  readonly type: RegistryCommand['type'];
  /** The store revision after the command (unchanged when it changed nothing). */
  readonly revision: number;
  /** Whether the command changed anything. */
  readonly changed: boolean;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** JSON, with the lease id as a decimal string (JSON has no 64-bit integers). */
export function encodeRegistryCommand(cmd: RegistryCommand): Uint8Array {
  return encoder.encode(JSON.stringify(cmd, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v)));
}

/**
 * Decodes an entry's command. Malformed bytes are BAD_COMMAND; the shape of what decodes is
 * checked when it applies (validate.ts), so a wrong field fails that one command everywhere alike.
 */
export function decodeRegistryCommand(bytes: Uint8Array): RegistryCommand {
  let raw: unknown;
  try {
    raw = JSON.parse(decoder.decode(bytes), (_k, v: unknown) => (typeof v === 'string' && /^-?\d+n$/.test(v) ? BigInt(v.slice(0, -1)) : v));
  } catch (err) {
    throw new RosterError('BAD_COMMAND', `registry command: ${String(err)}`);
  }
  if (typeof raw !== 'object' || raw === null || !REGISTRY_COMMAND_TYPES.has(String((raw as { type?: unknown }).type))) {
    throw new RosterError('BAD_COMMAND', 'registry command: unknown type');
  }
  return raw as RegistryCommand;
}
