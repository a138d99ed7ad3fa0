import { aclError } from './acl-errors.js';

/** The field checks every ACL command's validation shares (validate.ts, etcd-auth-commands.ts). */
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const POLICY_NAME = /^[A-Za-z0-9_-]{1,128}$/;

export function bad(field: string, why: string): never {
  throw aclError('ACL_INVALID', `${field}: ${why}`, { field });
}

export function str(v: unknown, field: string): string {
  if (typeof v !== 'string') bad(field, 'must be a string');
  return v;
}

export function checkUuid(v: unknown, field: string): string {
  const s = str(v, field);
  if (!UUID.test(s)) bad(field, 'must be a UUID');
  return s;
}

/** Consul's policy names: 1-128 letters, digits, '-' and '_'. */
export function checkPolicyName(v: unknown, field: string): void {
  if (!POLICY_NAME.test(str(v, field))) bad(field, 'must be 1-128 letters, digits, "-" or "_"');
}
