import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { CheckDefinition__Output } from '../../gen/agent/roster/agent/v1/CheckDefinition.js';
import type { RegisterServiceRequest__Output } from '../../gen/agent/roster/agent/v1/RegisterServiceRequest.js';

/** A check registered on its own (Consul's /v1/agent/check/register): on the node ('') or a service. */
export interface SavedCheck {
  readonly serviceId: string;
  /** The status it was registered with (until it first runs). */
  readonly status: 'passing' | 'warning' | 'critical';
  readonly check: CheckDefinition__Output;
}

/** What an agent keeps across restarts: what applications registered through its API, and maintenance. */
export interface PersistedAgentState {
  readonly version: 1;
  /** Registrations made through the API (config-file services come back from the files). */
  readonly services: readonly RegisterServiceRequest__Output[];
  /** Maintenance in force: '' for the node, else the service id, with its reason. */
  readonly maintenance: readonly { readonly serviceId: string; readonly reason: string }[];
  /**
   * The last status each TTL check reported (absent in files of earlier builds): restored with
   * a fresh TTL, so a restart does not turn every TTL-checked service critical until its
   * application reports again; an application that is gone lets it expire one TTL later.
   */
  readonly ttlChecks?: readonly { readonly checkId: string; readonly status: 'passing' | 'warning' | 'critical'; readonly output: string }[];
  /** The ACL token each service was registered with, by service id (absent in earlier files): what anti-entropy syncs it with. */
  readonly serviceTokens?: Readonly<Record<string, string>>;
  /** Checks registered on their own (absent in earlier files), restored after the services. */
  readonly checks?: readonly SavedCheck[];
}

const EMPTY: PersistedAgentState = { version: 1, services: [], maintenance: [], ttlChecks: [] };

/**
 * The agent's own state file (`<data dir>/agent-state.json`), as Consul's agents persist their
 * services: an agent that restarts (a crash, an upgrade) puts its applications' services and its
 * maintenance mode back before its first catalog sync, instead of deregistering them until each
 * application registers again. Written whole on every change (a few KB), through a temporary file,
 * fsync and rename, so a crash leaves the old or the new file, never half of one.
 */
export class AgentStateFile {
  readonly path: string;

  constructor(dataDir: string) {
    this.path = join(dataDir, 'agent-state.json');
  }

  /** The saved state; nothing saved yet is an empty state; a damaged file is an error naming it. */
  load(): PersistedAgentState {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return EMPTY;
      throw err;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      throw new Error(`${this.path}: not valid JSON (${err instanceof Error ? err.message : String(err)}); move it away to start without the saved services`, { cause: err });
    }
    const s = parsed as Partial<PersistedAgentState>;
    const isObject = (v: unknown): boolean => typeof v === 'object' && v !== null;
    // Array.isArray's own guard would widen the elements to any; this one keeps their declared type.
    const isArray = <T>(v: readonly T[] | undefined): v is T[] => Array.isArray(v);
    if (s.version !== 1 || !isArray(s.services) || !isArray(s.maintenance)) throw new Error(`${this.path}: not an agent state file of this version`);
    if (!s.services.every((r) => isObject(r) && isObject(r.service) && Array.isArray(r.checks))) throw new Error(`${this.path}: services: each must be a registration with a service and its checks`);
    if (!s.maintenance.every((m) => isObject(m) && typeof m.serviceId === 'string' && typeof m.reason === 'string')) throw new Error(`${this.path}: maintenance: each must have a serviceId and a reason`);
    const ttl = s.ttlChecks ?? [];
    if (!isArray(ttl) || !ttl.every((t) => isObject(t) && typeof t.checkId === 'string' && ['passing', 'warning', 'critical'].includes(t.status) && typeof t.output === 'string')) throw new Error(`${this.path}: ttlChecks: each must have a checkId, a status and an output`);
    const tokens = s.serviceTokens ?? {};
    if (!isObject(tokens) || Array.isArray(tokens) || !Object.values(tokens).every((t) => typeof t === 'string')) throw new Error(`${this.path}: serviceTokens: must map service ids to tokens`);
    const checks = s.checks ?? [];
    if (!isArray(checks) || !checks.every((c) => isObject(c) && typeof c.serviceId === 'string' && ['passing', 'warning', 'critical'].includes(c.status) && isObject(c.check))) throw new Error(`${this.path}: checks: each must have a serviceId, a status and a check`);
    return { version: 1, services: s.services, maintenance: s.maintenance, ttlChecks: ttl, ...(s.serviceTokens === undefined ? {} : { serviceTokens: tokens }), ...(s.checks === undefined ? {} : { checks }) };
  }

  save(state: PersistedAgentState): void {
    mkdirSync(dirname(this.path), { recursive: true });
    const tmp = `${this.path}.tmp`;
    try {
      const fd = openSync(tmp, 'w', 0o600);
      try {
        // writeFileSync writes every byte (writeSync may write part of them, on a full disk say).
        writeFileSync(fd, JSON.stringify(state));
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    } catch (err) {
      // The old file stays as it was; never rename a partial one over it.
      rmSync(tmp, { force: true });
      throw err;
    }
    renameSync(tmp, this.path);
    // The rename itself is durable only once the directory is synced.
    const dir = openSync(dirname(this.path), 'r');
    try {
      fsyncSync(dir);
    } finally {
      closeSync(dir);
    }
  }
}
