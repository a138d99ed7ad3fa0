import type { Authorizer, DefaultPolicy } from '../store/acl/authorizer.js';
import { isAclCommand } from '../store/acl/commands.js';
import { ACL_NOT_FOUND, TokenResolver, type AclStateSource } from '../store/acl/token-resolver.js';
import { isRosterError } from '../util/errors.js';
import type { StateCommand } from '../store/state-command.js';

/**
 * A server's side of access control: tokens resolved from its own replicated ACL state, so a
 * check costs no round trip. The resolver's cache is dropped by every applied ACL command and
 * whenever the store is replaced (a snapshot installed), so a deleted token stops working here
 * as soon as this server applies its deletion. A token this server does not know is looked up
 * again once it has caught up with the leader (a ReadIndex barrier): a token created a moment
 * ago elsewhere works here at once, as if every server had applied it.
 */
export class AccessRuntime {
  private readonly resolver: TokenResolver;
  private seenStore: AclStateSource | undefined;
  private readonly listeners: (() => void)[] = [];

  constructor(
    readonly enabled: boolean,
    readonly defaultPolicy: DefaultPolicy,
    private readonly store: () => AclStateSource,
    private readonly wallClock: () => number = Date.now,
    /** Resolves once this server has applied everything committed when it was called. */
    private readonly catchUp?: () => Promise<void>,
  ) {
    this.resolver = new TokenResolver(() => this.currentStore(), { defaultPolicy });
  }

  async authorize(secret: string): Promise<Authorizer> {
    this.currentStore();
    try {
      return (await this.resolver.resolve(secret, this.wallClock())).authorizer;
    } catch (err) {
      if (this.catchUp === undefined || secret === '' || !isRosterError(err) || err.code !== ACL_NOT_FOUND) throw err;
      // Not known here, perhaps not yet applied here: decide after catching up. If the leader
      // cannot be reached, the answer stays "not found" (this server's own state).
      if (!(await this.catchUp().then(() => true, () => false))) throw err;
      this.currentStore();
      return (await this.resolver.resolve(secret, this.wallClock())).authorizer;
    }
  }

  /** Called after `cmd` applied here (its effect is readable). */
  applied(cmd: StateCommand): void {
    if (!isAclCommand(cmd)) return;
    this.resolver.applied(cmd);
    this.changed();
  }

  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }

  /** The store, forgetting every resolved token when it is not the one they were read from. */
  private currentStore(): AclStateSource {
    const store = this.store();
    if (store !== this.seenStore) {
      const replaced = this.seenStore !== undefined;
      this.seenStore = store;
      if (replaced) {
        this.resolver.reset();
        this.changed();
      }
    }
    return store;
  }
}
