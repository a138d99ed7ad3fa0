import { listTokens } from '../store/acl/acl-reads.js';
import type { AclCommand, AclResponse } from '../store/acl/commands.js';
import { tokenExpired } from '../store/acl/records.js';
import type { StoreView } from '../store/kv/mvcc-store.js';
import { deadlineIn, type Deadline } from '../time/deadline.js';
import type { Logger } from '../util/logger.js';

export interface AclReaperDeps {
  /** Whether any stored token has expired at `now` (anyTokenExpired on the applied state). */
  anyExpired(now: number): Promise<boolean>;
  propose(cmd: AclCommand, deadline: Deadline): Promise<AclResponse>;
  readonly logger: Logger;
  /** How often the leader looks for expired tokens (Consul reaps them in the background too). */
  readonly everyMs: number;
}

/**
 * Deletes expired tokens, on the leader: an expired token already stops resolving on every
 * server (expiry is checked on each resolve), so this only keeps the store and the token list
 * clean. It proposes a reap only when it sees an expired token, so an idle cluster writes nothing.
 * The leader's clock goes in the command; every server deletes the same tokens.
 */
export class AclReaper {
  private timer: NodeJS.Timeout | undefined;
  private leading = false;
  private running = false;

  constructor(private readonly d: AclReaperDeps) {}

  start(): void {
    this.timer = setInterval(() => void this.tick(), this.d.everyMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  roleChanged(leading: boolean): void {
    this.leading = leading;
  }

  private async tick(): Promise<void> {
    if (!this.leading || this.running) return;
    this.running = true;
    try {
      const now = Date.now();
      if (!(await this.d.anyExpired(now))) return;
      const res = await this.d.propose({ type: 'aclTokenReap', now }, deadlineIn(5000));
      this.d.logger.info('expired ACL tokens deleted', { count: res.reaped ?? 0 });
    } catch (err) {
      // Tried again at the next tick (a leader change, a slow disk): nothing depends on it.
      this.d.logger.warn('ACL token reap failed; retrying', { error: err instanceof Error ? err.message : String(err) });
    } finally {
      this.running = false;
    }
  }
}

/** Whether a token in `store`'s applied state has expired at `now`. */
export function anyTokenExpired(store: { read<T>(fn: (view: StoreView) => Promise<T>): Promise<T> }, now: number): Promise<boolean> {
  return store.read(async (v) => (await listTokens(v.kv)).some((t) => tokenExpired(t, now)));
}
