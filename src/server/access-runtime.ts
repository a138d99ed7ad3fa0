import type { Authorizer, DefaultPolicy } from '../store/acl/authorizer.js';
import { isAclCommand } from '../store/acl/commands.js';
import { ACL_NOT_FOUND, TokenResolver, type AclStateSource } from '../store/acl/token-resolver.js';
import { isRosterError } from '../util/errors.js';
import type { StateCommand } from '../store/state-command.js';
import { readEtcdAuth } from '../store/acl/etcd-users.js';

/**
 * A server's side of access control: tokens resolved from its own replicated ACL state, so a
 * check costs no round trip. The resolver's cache is dropped by every applied ACL command and
 * whenever the store is replaced (a snapshot installed), so a deleted token stops working here
 * as soon as this server applies its deletion. A token this server does not know is looked up
 * again once it has caught up with the leader (a ReadIndex barrier): a token created a moment
 * ago elsewhere works here at once, as if every server had applied it.
 *
 * etcd's AuthEnable turns ACLs on for the whole cluster (replicated), with default deny, on
 * top of the configuration: enforced when --acl-enabled says so or etcd's auth is on.
 */
export class AccessRuntime {
  private readonly resolver: TokenResolver;
  private seenStore: AclStateSource | undefined;
  private readonly listeners: (() => void)[] = [];

  /** etcd's auth switch as this server's state says; undefined until read from the store. */
  private etcdAuth: boolean | undefined;
  private etcdAuthRead: Promise<void> | undefined;

  constructor(
    private readonly configEnabled: boolean,
    private readonly configDefaultPolicy: DefaultPolicy,
    private readonly store: () => AclStateSource,
    private readonly wallClock: () => number = Date.now,
    /** Resolves once this server has applied everything committed when it was called. */
    private readonly catchUp?: () => Promise<void>,
  ) {
    this.resolver = new TokenResolver(() => this.currentStore(), { defaultPolicy: () => this.defaultPolicy });
  }

  /** Whether tokens are enforced: --acl-enabled, or etcd's auth enabled (call ready() first for an exact answer). */
  get enabled(): boolean {
    return this.configEnabled || this.etcdAuth === true;
  }

  /** What no rule decides: the configured policy, or deny when only etcd's auth turned ACLs on (etcd's semantics). */
  get defaultPolicy(): DefaultPolicy {
    return this.configEnabled ? this.configDefaultPolicy : 'deny';
  }

  /** Resolves once `enabled` reflects this server's applied state (etcd's switch read from the store). */
  async ready(): Promise<void> {
    this.currentStore();
    if (this.etcdAuth !== undefined) return;
    this.etcdAuthRead ??= this.currentStore()
      .read((view) => readEtcdAuth(view.kv))
      .then((r) => {
        this.etcdAuth ??= r.enabled;
      })
      .finally(() => {
        this.etcdAuthRead = undefined;
      });
    await this.etcdAuthRead;
  }

  async authorize(secret: string): Promise<Authorizer> {
    await this.ready();
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
    // Applied successfully (only those are reported): the switch is what the command says.
    if (cmd.type === 'etcdAuthEnable') this.etcdAuth = true;
    if (cmd.type === 'etcdAuthDisable') this.etcdAuth = false;
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
        this.etcdAuth = undefined;
        this.changed();
      }
    }
    return store;
  }
}
