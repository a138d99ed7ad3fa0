import type { Permission, Permission__Output } from '../../gen/etcd/authpb/Permission.js';
import { keyName } from '../../store/acl/key-ranges.js';
import type { PolicyRules } from '../../store/acl/rules.js';
import { compareBytes } from '../../store/kv/bytes.js';
import { RosterError } from '../../util/errors.js';
import { prefixEnd, prefixRangeEnd } from '../../util/prefix-end.js';

/** A permission as a key rule: `key "a"` (prefix false) or `key_prefix "a/"`. */
export interface KeyRuleTarget {
  readonly segment: string;
  readonly prefix: boolean;
}

const encoder = new TextEncoder();

function isAll(key: Uint8Array, rangeEnd: Uint8Array): boolean {
  return rangeEnd.length === 1 && rangeEnd[0] === 0 && (key.length === 0 || (key.length === 1 && key[0] === 0));
}

/**
 * etcd's [key, range_end) as the key rule it is: one key, a prefix (range_end the prefix's
 * end, as `--prefix` sends), or every key. Consul's rules name keys and prefixes, so any other
 * range (`--from-key` on a key, an arbitrary end) is refused rather than widened.
 */
export function permissionTarget(key: Uint8Array, rangeEnd: Uint8Array): KeyRuleTarget {
  if (isAll(key, rangeEnd)) return { segment: '', prefix: true };
  const segment = keyName(key);
  if (segment === undefined) throw new RosterError('INVALID_ARGUMENT', 'roster: a permission\'s key must be UTF-8 text (ACL rules name keys as text)');
  if (key.length === 0) throw new RosterError('INVALID_ARGUMENT', 'etcdserver: key is not provided');
  if (rangeEnd.length === 0) return { segment, prefix: false };
  const end = prefixEnd(key);
  if (end !== undefined && compareBytes(end, rangeEnd) === 0) return { segment, prefix: true };
  throw new RosterError('INVALID_ARGUMENT', 'roster: a permission must cover one key or a prefix (role grant-permission KEY, or --prefix); other ranges have no ACL rule');
}

/** A role's key rules as etcd's permissions, sorted by key: read (and list) is READ, write is READWRITE (write implies read in Consul's rules); deny rules have no etcd form and are left out. */
export function permissionsOf(rules: PolicyRules): Permission[] {
  const out: (Permission & { key: Uint8Array })[] = [];
  for (const r of rules.segments.key) {
    if (r.level === 'deny') continue;
    const key = r.prefix && r.segment === '' ? new Uint8Array([0]) : encoder.encode(r.segment);
    const rangeEnd = !r.prefix ? new Uint8Array(0) : r.segment === '' ? new Uint8Array([0]) : prefixRangeEnd(key);
    out.push({ permType: r.level === 'write' ? 'READWRITE' : 'READ', key, rangeEnd });
  }
  return out.sort((a, b) => compareBytes(a.key, b.key));
}

/** What a grant asks for, as a rule level. etcd's WRITE alone becomes write, which in Consul's rules also reads (documented). */
export function permissionLevel(perm: Permission__Output): 'read' | 'write' {
  return perm.permType === 'READ' ? 'read' : 'write';
}
