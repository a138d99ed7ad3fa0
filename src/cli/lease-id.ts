import { UsageError } from './usage-error.js';

/** etcd's largest lease id (a positive int64). */
const MAX_LEASE_ID = (1n << 63n) - 1n;

/**
 * A lease id as typed: hexadecimal, as etcdctl prints and reads it (694d77aa9e38260f, or with
 * 0x), or decimal when it has more digits than 64-bit hex can (17 to 19: the form Roster
 * printed before, and the etcd API's JSON). Returns the id in decimal, as the API takes it.
 */
export function parseLeaseId(text: string, what: string): string {
  const t = text.trim();
  let id: bigint | undefined;
  if (/^(0x)?[0-9a-f]{1,16}$/i.test(t)) id = BigInt(t.toLowerCase().startsWith('0x') ? t : `0x${t}`);
  else if (/^\d{17,19}$/.test(t)) id = BigInt(t);
  if (id === undefined || id > MAX_LEASE_ID) throw new UsageError(`${what} must be a lease id: hex as etcdctl prints it (694d77aa9e38260f), or decimal; got ${JSON.stringify(text)}`);
  return id.toString();
}

/** A lease id as etcdctl prints it: 16 hex digits. */
export const leaseIdText = (decimal: string): string => BigInt(decimal).toString(16).padStart(16, '0');
