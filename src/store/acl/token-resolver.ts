import { RosterError } from '../../util/errors.js';
import type { StoreView } from '../kv/mvcc-store.js';
import { policiesOf, policyByName, tokenBySecret } from './acl-reads.js';
import { readUser, ROOT } from './etcd-users.js';
import type { OrderedKvReader } from '../kv/ordered-kv.js';
import { compileAuthorizer, type Authorizer, type DefaultPolicy } from './authorizer.js';
import { isAclCommand } from './commands.js';
import { parseRules } from './parse-rules.js';
import { ANONYMOUS_TOKEN_ACCESSOR_ID, ANONYMOUS_TOKEN_SECRET_ID, GLOBAL_MANAGEMENT_POLICY_ID, tokenExpired, type PolicyRecord, type TokenRecord } from './records.js';

/** What the resolver reads the applied state through: the server's MvccStore (its read()). */
export interface AclStateSource {
  read<T>(fn: (view: StoreView) => Promise<T>): Promise<T>;
}

export interface ResolvedToken {
  readonly token: TokenRecord;
  /** The linked policies that exist, in link order. */
  readonly policies: readonly PolicyRecord[];
  readonly authorizer: Authorizer;
}

/** A secret id that names no live token (unknown, deleted, expired): the API answers UNAUTHENTICATED. */
export const ACL_NOT_FOUND = 'ACL_NOT_FOUND';

export interface TokenResolverOptions {
  /** What no rule decides: Consul's acl.default_policy (asked at each compile: etcd's AuthEnable can change it). */
  readonly defaultPolicy: DefaultPolicy | (() => DefaultPolicy);
  /** Secrets remembered (found or not), least recently used dropped first. */
  readonly maxCached?: number;
}

interface Cached {
  /** undefined: no token has this secret. */
  readonly resolved: ResolvedToken | undefined;
}

/** The anonymous token before bootstrap has written it: no policies, so the default policy decides. */
function virtualAnonymous(): TokenRecord {
  return { accessorId: ANONYMOUS_TOKEN_ACCESSOR_ID, secretId: ANONYMOUS_TOKEN_SECRET_ID, description: 'Anonymous Token', policies: [], local: false, createIndex: 0, createTime: 0 };
}

/**
 * Secret id -> token and its compiled authorizer, from the applied ACL state, cached so a check
 * costs no read. The cache is dropped whenever an applied command touched ACL state (applied())
 * and when the store is replaced by a snapshot (reset()), so a deleted token stops resolving
 * from the next apply on. A resolve that was reading while such an apply landed still answers
 * but is not cached (the generation moved). Expiry is checked on every resolve against the
 * caller's `now`, never cached. An empty secret is the anonymous token.
 */
export class TokenResolver {
  private readonly cache = new Map<string, Cached>();
  private generation = 0;
  private readonly maxCached: number;

  constructor(
    private readonly source: () => AclStateSource,
    private readonly opts: TokenResolverOptions,
  ) {
    this.maxCached = opts.maxCached ?? 4096;
  }

  /** Resolves `secretId` (empty: anonymous) at wall-clock `now` (Unix ms); ACL_NOT_FOUND if no live token has it. */
  async resolve(secretId: string, now: number): Promise<ResolvedToken> {
    const secret = secretId === '' ? ANONYMOUS_TOKEN_SECRET_ID : secretId;
    let cached = this.cache.get(secret);
    if (cached === undefined) {
      const generation = this.generation;
      cached = { resolved: await this.load(secret) };
      if (generation === this.generation) this.remember(secret, cached);
    } else {
      // Most recently used last, so the first key is the one to drop.
      this.cache.delete(secret);
      this.cache.set(secret, cached);
    }
    const found = cached.resolved;
    if (found === undefined || tokenExpired(found.token, now)) throw new RosterError(ACL_NOT_FOUND, 'ACL not found');
    return found;
  }

  /** An entry applied: if it was an ACL command, everything cached may be stale. */
  applied(cmd: { readonly type: string }): void {
    if (isAclCommand(cmd)) this.reset();
  }

  /** Forget everything (ACL state changed, or the store was replaced by a snapshot). */
  reset(): void {
    this.generation++;
    this.cache.clear();
  }

  /** How many secrets are remembered (tests, metrics). */
  get size(): number {
    return this.cache.size;
  }

  private remember(secret: string, entry: Cached): void {
    this.cache.set(secret, entry);
    while (this.cache.size > this.maxCached) this.cache.delete(this.cache.keys().next().value!);
  }

  private load(secret: string): Promise<ResolvedToken | undefined> {
    return this.source().read(async (view) => {
      let token = await tokenBySecret(view.kv, secret);
      if (token === undefined && secret === ANONYMOUS_TOKEN_SECRET_ID) token = virtualAnonymous();
      if (token === undefined) return undefined;
      let policies: PolicyRecord[];
      let management: boolean;
      if (token.user !== undefined) {
        // An etcd user's token grants what the user's roles grant now; a deleted user's, nothing.
        const user = await readUser(view.kv, token.user);
        if (user === undefined) return undefined;
        policies = await rolePolicies(view.kv, user.roles);
        management = user.roles.includes(ROOT);
      } else {
        policies = await policiesOf(view.kv, token);
        management = policies.some((p) => p.id === GLOBAL_MANAGEMENT_POLICY_ID);
      }
      const authorizer = compileAuthorizer(
        policies.map((p) => parseRules(p.rules)),
        { management, defaultPolicy: typeof this.opts.defaultPolicy === 'function' ? this.opts.defaultPolicy() : this.opts.defaultPolicy },
      );
      return { token, policies, authorizer };
    });
  }
}

/** The policies an etcd user's roles name (a role is the policy of its name; a missing one grants nothing). */
async function rolePolicies(kv: OrderedKvReader, roles: readonly string[]): Promise<PolicyRecord[]> {
  const out: PolicyRecord[] = [];
  for (const role of roles) {
    const p = await policyByName(kv, role);
    if (p !== undefined) out.push(p);
  }
  return out;
}
