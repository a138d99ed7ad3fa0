import { CLUSTER_RESOURCES, SEGMENTED_RESOURCES, type AccessLevel, type PolicyRules, type SegmentRule } from './rules.js';

/**
 * Rules as Consul's JSON form, for a policy whose rules are edited rule by rule (etcd's
 * RoleGrantPermission and RoleRevokePermission): parse, change, write back. JSON.stringify's
 * escapes are exactly what the rule parser reads, so any segment text round-trips. Comments and
 * layout of text written by hand are not kept; what the rules grant is.
 */
export function rulesToJson(rules: PolicyRules): string {
  const out: Record<string, unknown> = {};
  for (const resource of SEGMENTED_RESOURCES) {
    for (const rule of rules.segments[resource]) {
      const table = (out[rule.prefix ? `${resource}_prefix` : resource] ??= {}) as Record<string, { policy: AccessLevel; intentions?: AccessLevel }>;
      table[rule.segment] = { policy: rule.level, ...(rule.intentions !== undefined ? { intentions: rule.intentions } : {}) };
    }
  }
  for (const resource of CLUSTER_RESOURCES) {
    const level = rules.cluster[resource];
    if (level !== undefined) out[resource] = level;
  }
  return JSON.stringify(out, undefined, 2);
}

/** `rules` with the key rule for (segment, prefix) set to `level` (replacing one there). */
export function withKeyRule(rules: PolicyRules, segment: string, prefix: boolean, level: AccessLevel): PolicyRules {
  const key: SegmentRule[] = rules.segments.key.filter((r) => r.segment !== segment || r.prefix !== prefix);
  key.push({ segment, prefix, level });
  return { segments: { ...rules.segments, key }, cluster: rules.cluster };
}

/** `rules` without the key rule for (segment, prefix); undefined when there is none. */
export function withoutKeyRule(rules: PolicyRules, segment: string, prefix: boolean): PolicyRules | undefined {
  const key = rules.segments.key.filter((r) => r.segment !== segment || r.prefix !== prefix);
  if (key.length === rules.segments.key.length) return undefined;
  return { segments: { ...rules.segments, key }, cluster: rules.cluster };
}
