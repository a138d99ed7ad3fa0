import { RosterError } from '../../util/errors.js';
import { grants, strongerLevel, SEGMENTED_RESOURCES, type AccessLevel, type ClusterResource, type PolicyRules, type Resource, type SegmentedResource } from './rules.js';

/** What a check asks for. `list` exists for keys only. */
export type Access = 'read' | 'list' | 'write';

/** The answer to one check; a denial says which rule was missing, in words for PERMISSION_DENIED. */
export type Decision =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly resource: Resource; readonly access: Access; readonly segment: string | undefined; readonly message: string };

/** What one link of the chain says: allow, deny, or nothing (the next link decides). */
type Verdict = 'allow' | 'deny' | 'default';

interface Enforcer {
  /** `exactRules` false: only prefix rules can match (a key whose bytes are not text, key-ranges.ts). */
  segment(resource: SegmentedResource, name: string, want: Access, exactRules: boolean): Verdict;
  /** `want` on every key that starts with `prefix` (Consul's KeyWritePrefix, and its read twin). */
  keyPrefix(prefix: string, want: Access): Verdict;
  cluster(resource: ClusterResource, want: Access): Verdict;
}

/** One resource's rules of every policy of a token, merged: exact names, and prefixes longest first. */
interface SegmentTable {
  readonly exact: Map<string, AccessLevel>;
  /** Longest first, so the first that matches is the most specific. */
  readonly prefixes: (readonly [string, AccessLevel])[];
}

function verdict(level: AccessLevel | undefined, want: Access): Verdict {
  if (level === undefined) return 'default';
  return grants(level, want) ? 'allow' : 'deny';
}

/**
 * The rules of a token's policies, merged. Consul's matching: an exact rule for the name wins;
 * otherwise the longest prefix rule that the name starts with; otherwise nothing matches and the
 * next link (the default policy) decides. Where several policies (or one, twice) give the same
 * rule, deny beats write beats list beats read (strongerLevel).
 */
class PolicyEnforcer implements Enforcer {
  private readonly tables = new Map<SegmentedResource, SegmentTable>();
  private readonly clusterRules = new Map<ClusterResource, AccessLevel>();

  constructor(policies: readonly PolicyRules[]) {
    for (const resource of SEGMENTED_RESOURCES) {
      const exact = new Map<string, AccessLevel>();
      const prefix = new Map<string, AccessLevel>();
      for (const p of policies) {
        for (const r of p.segments[resource]) {
          const into = r.prefix ? prefix : exact;
          const had = into.get(r.segment);
          into.set(r.segment, had === undefined ? r.level : strongerLevel(had, r.level));
        }
      }
      const prefixes = [...prefix.entries()].sort((a, b) => b[0].length - a[0].length);
      this.tables.set(resource, { exact, prefixes });
    }
    for (const p of policies) {
      for (const [resource, level] of Object.entries(p.cluster) as [ClusterResource, AccessLevel][]) {
        const had = this.clusterRules.get(resource);
        this.clusterRules.set(resource, had === undefined ? level : strongerLevel(had, level));
      }
    }
  }

  private lookup(resource: SegmentedResource, name: string, exactRules: boolean): AccessLevel | undefined {
    const table = this.tables.get(resource)!;
    const exact = exactRules ? table.exact.get(name) : undefined;
    if (exact !== undefined) return exact;
    for (const [p, level] of table.prefixes) if (name.startsWith(p)) return level;
    return undefined;
  }

  segment(resource: SegmentedResource, name: string, want: Access, exactRules: boolean): Verdict {
    return verdict(this.lookup(resource, name, exactRules), want);
  }

  /**
   * Allowed when the longest prefix rule covering `prefix` grants write and no rule under it
   * (exact or prefix) withholds write; denied when either fails; with no covering rule and no
   * rule under it that withholds write, the default decides (Consul's KeyWritePrefix).
   */
  keyPrefix(prefix: string, want: Access): Verdict {
    const table = this.tables.get('key')!;
    for (const [seg, level] of table.exact) if (seg.startsWith(prefix) && !grants(level, want)) return 'deny';
    for (const [seg, level] of table.prefixes) if (seg.startsWith(prefix) && !grants(level, want)) return 'deny';
    for (const [seg, level] of table.prefixes) if (prefix.startsWith(seg)) return verdict(level, want);
    return 'default';
  }

  cluster(resource: ClusterResource, want: Access): Verdict {
    return verdict(this.clusterRules.get(resource), want);
  }
}

/**
 * Consul's static authorizers: allow-all and deny-all (the default policy) never grant `acl`
 * (managing ACLs needs a rule or the management policy), manage-all grants everything.
 */
class StaticEnforcer implements Enforcer {
  constructor(
    private readonly allow: boolean,
    private readonly manage: boolean,
  ) {}

  segment(): Verdict {
    return this.allow ? 'allow' : 'deny';
  }

  keyPrefix(): Verdict {
    return this.allow ? 'allow' : 'deny';
  }

  cluster(resource: ClusterResource): Verdict {
    if (resource === 'acl') return this.manage ? 'allow' : 'deny';
    return this.allow ? 'allow' : 'deny';
  }
}

export type DefaultPolicy = 'allow' | 'deny';

/**
 * Answers whether a token may do something. Built by compileAuthorizer from the token's
 * policies and the cluster's default policy; immutable, so one may be shared by every request
 * of the token until ACL state changes (token-resolver.ts).
 */
export class Authorizer {
  private constructor(private readonly chain: readonly Enforcer[]) {}

  static of(chain: readonly Enforcer[]): Authorizer {
    return new Authorizer(chain);
  }

  private decide(ask: (e: Enforcer) => Verdict, resource: Resource, access: Access, segment: string | undefined, whole = false): Decision {
    for (const e of this.chain) {
      const v = ask(e);
      if (v === 'allow') return ALLOWED;
      if (v === 'deny') break;
    }
    return { allowed: false, resource, access, segment, message: denialMessage(resource, access, segment, whole) };
  }

  private seg(resource: SegmentedResource, name: string, want: Access): Decision {
    return this.decide((e) => e.segment(resource, name, want, true), resource, want, name);
  }

  /**
   * A key whose bytes are not UTF-8, named by its longest leading part that is (`textPrefix`):
   * no exact rule can name it, and the prefix rules that match it are those that match
   * `textPrefix` (key-ranges.ts).
   */
  keyNotText(textPrefix: string, want: Access): Decision {
    return this.decide((e) => e.segment('key', textPrefix, want, false), 'key', want, `${textPrefix}<bytes that are not UTF-8>`);
  }

  private clusterWide(resource: ClusterResource, want: Access): Decision {
    return this.decide((e) => e.cluster(resource, want), resource, want, undefined);
  }

  keyRead(key: string): Decision {
    return this.seg('key', key, 'read');
  }
  /** Listing the keys under `prefix` (Consul's KeyList: a `list` or `write` rule for the prefix). */
  keyList(prefix: string): Decision {
    return this.seg('key', prefix, 'list');
  }
  keyWrite(key: string): Decision {
    return this.seg('key', key, 'write');
  }
  /** Write on every key starting with `prefix`: a recursive delete, or an etcd range (key-ranges.ts). */
  keyWritePrefix(prefix: string): Decision {
    return this.decide((e) => e.keyPrefix(prefix, 'write'), 'key', 'write', prefix, true);
  }
  /** Read of every key starting with `prefix`: an etcd Range or Watch over a range (key-ranges.ts). */
  keyReadPrefix(prefix: string): Decision {
    return this.decide((e) => e.keyPrefix(prefix, 'read'), 'key', 'read', prefix, true);
  }
  serviceRead(name: string): Decision {
    return this.seg('service', name, 'read');
  }
  serviceWrite(name: string): Decision {
    return this.seg('service', name, 'write');
  }
  nodeRead(name: string): Decision {
    return this.seg('node', name, 'read');
  }
  nodeWrite(name: string): Decision {
    return this.seg('node', name, 'write');
  }
  /** Sessions are named by the node they are on, as in Consul. */
  sessionRead(node: string): Decision {
    return this.seg('session', node, 'read');
  }
  sessionWrite(node: string): Decision {
    return this.seg('session', node, 'write');
  }
  /** Agents are named by their node name. */
  agentRead(node: string): Decision {
    return this.seg('agent', node, 'read');
  }
  agentWrite(node: string): Decision {
    return this.seg('agent', node, 'write');
  }
  eventRead(name: string): Decision {
    return this.seg('event', name, 'read');
  }
  eventWrite(name: string): Decision {
    return this.seg('event', name, 'write');
  }
  queryRead(name: string): Decision {
    return this.seg('query', name, 'read');
  }
  queryWrite(name: string): Decision {
    return this.seg('query', name, 'write');
  }
  operatorRead(): Decision {
    return this.clusterWide('operator', 'read');
  }
  operatorWrite(): Decision {
    return this.clusterWide('operator', 'write');
  }
  aclRead(): Decision {
    return this.clusterWide('acl', 'read');
  }
  aclWrite(): Decision {
    return this.clusterWide('acl', 'write');
  }
  keyringRead(): Decision {
    return this.clusterWide('keyring', 'read');
  }
  keyringWrite(): Decision {
    return this.clusterWide('keyring', 'write');
  }
}

const ALLOWED: Decision = { allowed: true };

function denialMessage(resource: Resource, access: Access, segment: string | undefined, whole: boolean): string {
  const base = `permission denied: token lacks ${resource}:${access}`;
  if (segment === undefined) return base;
  if (whole) return segment === '' ? `${base} on every key` : `${base} on every key under ${segment}`;
  return `${base} on ${segment === '' ? '"" (the empty name)' : segment}`;
}

/**
 * The authorizer of a token with these policies' rules. `management`: the token has the
 * builtin global-management policy, which allows everything (Consul's manage-all), whatever
 * else it has. Otherwise what no rule matches falls to `defaultPolicy` (never `acl`).
 */
export function compileAuthorizer(policies: readonly PolicyRules[], opts: { readonly management: boolean; readonly defaultPolicy: DefaultPolicy }): Authorizer {
  if (opts.management) return Authorizer.of([new StaticEnforcer(true, true)]);
  return Authorizer.of([new PolicyEnforcer(policies), new StaticEnforcer(opts.defaultPolicy === 'allow', false)]);
}

/** A denial as the error later code answers with (gRPC PERMISSION_DENIED); the missing rule in details. */
export function permissionDenied(decision: Decision & { allowed: false }): RosterError {
  return new RosterError('PERMISSION_DENIED', decision.message, { resource: decision.resource, access: decision.access, segment: decision.segment });
}
