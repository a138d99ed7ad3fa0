import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { RegisterServiceRequest__Output } from '../../gen/agent/roster/agent/v1/RegisterServiceRequest.js';

/** What an agent keeps across restarts: what applications registered through its API, and maintenance. */
export interface PersistedAgentState {
  readonly version: 1;
  /** Registrations made through the API (config-file services come back from the files). */
  readonly services: readonly RegisterServiceRequest__Output[];
  /** Maintenance in force: '' for the node, else the service id, with its reason. */
  readonly maintenance: readonly { readonly serviceId: string; readonly reason: string }[];
}

const EMPTY: PersistedAgentState = { version: 1, services: [], maintenance: [] };

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
      throw new Error(`${this.path}: not valid JSON (${err instanceof Error ? err.message : String(err)}); move it away to start without the saved services`);
    }
    const s = parsed as Partial<PersistedAgentState>;
    if (s.version !== 1 || !Array.isArray(s.services) || !Array.isArray(s.maintenance)) throw new Error(`${this.path}: not an agent state file of this version`);
    return { version: 1, services: s.services, maintenance: s.maintenance };
  }

  save(state: PersistedAgentState): void {
    mkdirSync(dirname(this.path), { recursive: true });
    const tmp = `${this.path}.tmp`;
    const fd = openSync(tmp, 'w', 0o600);
    try {
      writeSync(fd, JSON.stringify(state));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
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
