import { aclError } from './acl-errors.js';
import { parseHclRules } from './hcl-rules.js';
import { parseJsonRules } from './json-rules.js';
import { ACCESS_LEVELS, CLUSTER_RESOURCES, emptyRules, SEGMENTED_RESOURCES, type AccessLevel, type ClusterResource, type PolicyRules, type SegmentedResource } from './rules.js';
import { rulesError, type RulesItem, type RulesValue } from './rules-tree.js';

/** Rules text longer than this is refused before it is parsed (Consul's own limit is its request size). */
export const RULES_MAX_BYTES = 32 * 1024;

/**
 * A policy's rules as Consul takes them: HCL, or its JSON form (text whose first character
 * that is not a space is `{`; an HCL body cannot start with one). Errors are ACL_RULES_INVALID
 * with the line and column (details.line, details.column).
 */
export function parseRules(text: string): PolicyRules {
  if (new TextEncoder().encode(text).length > RULES_MAX_BYTES) throw aclError('ACL_RULES_INVALID', `rules longer than ${RULES_MAX_BYTES} bytes`);
  const json = text.trimStart().startsWith('{');
  return interpret(json ? parseJsonRules(text) : parseHclRules(text));
}

const SEGMENTED: ReadonlySet<string> = new Set(SEGMENTED_RESOURCES);
const CLUSTER: ReadonlySet<string> = new Set(CLUSTER_RESOURCES);

/** Resources of Consul this rule language does not have (Enterprise, mesh, peering): named so the error says why. */
const NOT_IN_ROSTER: ReadonlySet<string> = new Set(['mesh', 'peering', 'partition', 'partition_prefix', 'namespace', 'namespace_prefix', 'identity', 'identity_prefix']);

function interpret(items: readonly RulesItem[]): PolicyRules {
  const out = emptyRules();
  for (const item of items) {
    const prefix = item.key.endsWith('_prefix');
    const base = prefix ? item.key.slice(0, -'_prefix'.length) : item.key;
    if (SEGMENTED.has(base)) {
      segmentRules(item, base as SegmentedResource, prefix, out.segments[base as SegmentedResource]);
    } else if (CLUSTER.has(item.key)) {
      const resource = item.key as ClusterResource;
      if (out.cluster[resource] !== undefined) rulesError(item.at, `${resource} is given twice (one ${resource} rule per policy)`);
      if (item.value.kind === 'object') rulesError(item.value.at, `${resource} takes no segment: write ${resource} = "read" (or "write", "deny")`);
      out.cluster[resource] = level(item.value, resource, false);
    } else if (NOT_IN_ROSTER.has(item.key)) {
      rulesError(item.at, `Roster has no "${item.key}" resource`);
    } else {
      rulesError(item.at, `unknown resource "${item.key}"`);
    }
  }
  return out;
}

function segmentRules(item: RulesItem, resource: SegmentedResource, prefix: boolean, into: { segment: string; prefix: boolean; level: AccessLevel; intentions?: AccessLevel }[]): void {
  if (item.value.kind !== 'object') rulesError(item.value.at, `${item.key} needs a segment: ${item.key} "<name>" { policy = "read" }`);
  for (const seg of item.value.items) {
    if (seg.value.kind !== 'object') rulesError(seg.value.at, `${item.key} "${seg.key}" takes a block: { policy = "read" }`);
    let policy: AccessLevel | undefined;
    let intentions: AccessLevel | undefined;
    for (const field of seg.value.items) {
      if (field.key === 'policy') {
        if (policy !== undefined) rulesError(field.at, 'policy is given twice');
        policy = level(field.value, `${item.key} "${seg.key}"`, resource === 'key');
      } else if (field.key === 'intentions' && resource === 'service') {
        intentions = level(field.value, `${item.key} "${seg.key}" intentions`, false);
      } else {
        rulesError(field.at, `unknown field "${field.key}" in ${item.key} "${seg.key}" (${resource === 'service' ? 'policy or intentions' : 'only policy'})`);
      }
    }
    if (policy === undefined) rulesError(seg.value.at, `${item.key} "${seg.key}" has no policy`);
    into.push({ segment: seg.key, prefix, level: policy, ...(intentions !== undefined ? { intentions } : {}) });
  }
}

function level(v: RulesValue, what: string, listAllowed: boolean): AccessLevel {
  if (v.kind !== 'string') rulesError(v.at, `${what}: expected "read", "write"${listAllowed ? ', "list"' : ''} or "deny", found ${v.kind === 'object' ? 'a block' : v.what}`);
  const found = ACCESS_LEVELS.find((l) => l === v.value);
  if (found === undefined) rulesError(v.at, `${what}: unknown policy "${v.value}" (read, write${listAllowed ? ', list' : ''} or deny)`);
  if (found === 'list' && !listAllowed) rulesError(v.at, `${what}: "list" applies to keys only`);
  return found;
}
