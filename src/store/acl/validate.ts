import { bad, checkPolicyName, checkUuid, str } from './field-checks.js';
import type { ConsulAclCommand, PolicyLink } from './commands.js';
import { parseRules } from './parse-rules.js';
import { ANONYMOUS_TOKEN_SECRET_ID } from './records.js';

/**
 * The limits of ACL commands, checked when a command applies (and by the API before it
 * proposes, once it exists), so a command means the same on every server. Consul's where it
 * has them: policy names of 1-128 letters, digits, '-' and '_'; ids as UUIDs.
 */
export const ACL_LIMITS = {
  descriptionBytes: 1024,
  policiesPerToken: 128,
  /** The largest time a JavaScript Date can hold, in Unix ms: no wire number beyond it is a time. */
  maxTimeMs: 8_640_000_000_000_000,
} as const;

const utf8 = new TextEncoder();

/** A token's secret: a UUID, or the anonymous token's well-known secret. */
function checkSecret(v: unknown, field: string): void {
  if (v === ANONYMOUS_TOKEN_SECRET_ID) return;
  checkUuid(v, field);
}

function checkTime(v: unknown, field: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0 || v > ACL_LIMITS.maxTimeMs) bad(field, 'must be a time in Unix milliseconds');
  return v;
}

function checkDescription(v: unknown, field: string): void {
  if (utf8.encode(str(v, field)).length > ACL_LIMITS.descriptionBytes) bad(field, `longer than ${ACL_LIMITS.descriptionBytes} bytes`);
}


function checkLinks(v: unknown, field: string): void {
  if (!Array.isArray(v)) bad(field, 'must be a list');
  if (v.length > ACL_LIMITS.policiesPerToken) bad(field, `more than ${ACL_LIMITS.policiesPerToken} policies`);
  v.forEach((link: unknown, i) => {
    const at = `${field}[${i}]`;
    if (typeof link !== 'object' || link === null) bad(at, 'must be { id } or { name }');
    const { id, name } = link as PolicyLink;
    if (id === undefined && name === undefined) bad(at, 'needs an id or a name');
    if (id !== undefined) checkUuid(id, `${at}.id`);
    if (name !== undefined) checkPolicyName(name, `${at}.name`);
  });
}

/** Throws ACL_INVALID (ACL_RULES_INVALID for rules) unless every field is well formed and bounded. */
export function validateAclCommand(cmd: ConsulAclCommand): void {
  switch (cmd.type) {
    case 'aclBootstrap':
      checkUuid(cmd.accessorId, 'accessorId');
      checkUuid(cmd.secretId, 'secretId');
      checkTime(cmd.now, 'now');
      if (cmd.resetIndex !== undefined && (typeof cmd.resetIndex !== 'number' || !Number.isSafeInteger(cmd.resetIndex) || cmd.resetIndex < 1)) bad('resetIndex', 'must be a positive integer');
      return;
    case 'aclTokenUpsert': {
      checkUuid(cmd.accessorId, 'accessorId');
      checkSecret(cmd.secretId, 'secretId');
      checkDescription(cmd.description, 'description');
      checkLinks(cmd.policies, 'policies');
      if (typeof cmd.local !== 'boolean') bad('local', 'must be a boolean');
      const now = checkTime(cmd.now, 'now');
      if (cmd.expirationTime !== undefined && checkTime(cmd.expirationTime, 'expirationTime') <= now) bad('expirationTime', 'is not in the future');
      return;
    }
    case 'aclTokenDelete':
      checkUuid(cmd.accessorId, 'accessorId');
      return;
    case 'aclTokenReap':
      checkTime(cmd.now, 'now');
      return;
    case 'aclPolicyUpsert':
      checkUuid(cmd.id, 'id');
      checkPolicyName(cmd.name, 'name');
      checkDescription(cmd.description, 'description');
      parseRules(str(cmd.rules, 'rules'));
      return;
    case 'aclPolicyDelete':
      checkUuid(cmd.id, 'id');
      return;
    default:
      bad('type', 'unknown ACL command');
  }
}
