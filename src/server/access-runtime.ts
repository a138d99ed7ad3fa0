import type { Authorizer, DefaultPolicy } from '../store/acl/authorizer.js';
import { isAclCommand } from '../store/acl/commands.js';
import { TokenResolver, type AclStateSource } from '../store/acl/token-resolver.js';
import type { StateCommand } from '../store/state-command.js';

/**
 * A server's side of access control: tokens resolved from its own replicated ACL state, so a
 * check costs no round trip. The resolver's cache is dropped by every applied ACL command and
 * whenever the store is replaced (a snapshot installed), so a deleted token stops working here
 * as soon as this server applies its deletion.
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
  ) {
    this.resolver = new TokenResolver(() => this.currentStore(), { defaultPolicy });
  }

  async authorize(secret: string): Promise<Authorizer> {
    this.currentStore();
    return (await this.resolver.resolve(secret, this.wallClock())).authorizer;
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
