/**
 * Consul's rule language as data: what a policy grants, before it is compiled into an
 * authorizer (authorizer.ts). Text in HCL or JSON becomes this through parse-rules.ts.
 */

/** A rule's disposition. `list` exists for keys only (key_prefix in Consul's docs; key too, as Consul accepts it). */
export type AccessLevel = 'read' | 'list' | 'write' | 'deny';

export const ACCESS_LEVELS: readonly AccessLevel[] = ['read', 'list', 'write', 'deny'];

/** Resources whose rules name a segment: `key "a"` (exact) and `key_prefix "a/"` (prefix). */
export type SegmentedResource = 'key' | 'service' | 'node' | 'session' | 'agent' | 'event' | 'query';

export const SEGMENTED_RESOURCES: readonly SegmentedResource[] = ['key', 'service', 'node', 'session', 'agent', 'event', 'query'];

/** Resources with one rule for the whole cluster: `operator = "read"`. */
export type ClusterResource = 'operator' | 'acl' | 'keyring';

export const CLUSTER_RESOURCES: readonly ClusterResource[] = ['operator', 'acl', 'keyring'];

export type Resource = SegmentedResource | ClusterResource;

/** One segmented rule: `key_prefix "app/" { policy = "write" }` is { prefix: true, segment: 'app/', level: 'write' }. */
export interface SegmentRule {
  readonly segment: string;
  readonly prefix: boolean;
  readonly level: AccessLevel;
  /** service rules only: Consul's `intentions` disposition (kept so a Consul policy parses; Roster has no intentions). */
  readonly intentions?: AccessLevel;
}

/** Everything one policy says. */
export interface PolicyRules {
  readonly segments: Readonly<Record<SegmentedResource, readonly SegmentRule[]>>;
  readonly cluster: Readonly<Partial<Record<ClusterResource, AccessLevel>>>;
}

export function emptyRules(): { segments: Record<SegmentedResource, SegmentRule[]>; cluster: Partial<Record<ClusterResource, AccessLevel>> } {
  return { segments: { key: [], service: [], node: [], session: [], agent: [], event: [], query: [] }, cluster: {} };
}

/**
 * Which of two dispositions for the same rule wins when policies (or one policy twice) name it:
 * deny over everything, then write, list, read (Consul's precedence).
 */
export function strongerLevel(a: AccessLevel, b: AccessLevel): AccessLevel {
  if (a === 'deny' || b === 'deny') return 'deny';
  const rank: Record<AccessLevel, number> = { deny: 0, read: 1, list: 2, write: 3 };
  return rank[a] >= rank[b] ? a : b;
}

/** Whether a rule of level `have` grants `want` (write implies list and read; list implies read; deny grants nothing). */
export function grants(have: AccessLevel, want: 'read' | 'list' | 'write'): boolean {
  switch (have) {
    case 'deny':
      return false;
    case 'read':
      return want === 'read';
    case 'list':
      return want !== 'write';
    case 'write':
      return true;
    default:
      return false;
  }
}
