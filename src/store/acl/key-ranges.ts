import { prefixEnd } from '../../util/prefix-end.js';
import { compareBytes } from '../kv/bytes.js';
import type { Authorizer, Decision } from './authorizer.js';

/**
 * etcd names keys by bytes and ranges by [key, rangeEnd); Consul's rules name keys by text.
 * A key is the UTF-8 text of its bytes. A key whose bytes are not UTF-8 matches no exact rule
 * (rules are text), and exactly the prefix rules that match its longest leading part that is
 * text (Authorizer.keyNotText).
 */
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The key's name, or undefined when its bytes are not UTF-8. */
export function keyName(key: Uint8Array): string | undefined {
  try {
    return utf8.decode(key);
  } catch {
    return undefined;
  }
}

/** The longest prefix of `bytes` that is whole UTF-8 text. */
function validPrefix(bytes: Uint8Array): string {
  for (let len = bytes.length; len >= 0; len--) {
    const name = keyName(bytes.subarray(0, len));
    if (name !== undefined) return name;
  }
  return '';
}

/** Read of one key given by its bytes. */
export function keyReadBytes(authz: Authorizer, key: Uint8Array): Decision {
  const name = keyName(key);
  return name === undefined ? authz.keyNotText(validPrefix(key), 'read') : authz.keyRead(name);
}

/** Write of one key given by its bytes. */
export function keyWriteBytes(authz: Authorizer, key: Uint8Array): Decision {
  const name = keyName(key);
  return name === undefined ? authz.keyNotText(validPrefix(key), 'write') : authz.keyWrite(name);
}

/**
 * The prefix that covers an etcd range: the longest prefix p of `key` with every key of
 * [key, rangeEnd) starting with p. rangeEnd [0x00] ("every key from key on") is covered only by
 * the empty prefix.
 */
export function coveringPrefix(key: Uint8Array, rangeEnd: Uint8Array): Uint8Array {
  if (rangeEnd.length === 1 && rangeEnd[0] === 0) return new Uint8Array(0);
  for (let len = key.length; len > 0; len--) {
    const p = key.subarray(0, len);
    const end = prefixEnd(p);
    // Every k with key <= k < rangeEnd starts with p when rangeEnd <= prefixEnd(p).
    if (end === undefined || compareBytes(rangeEnd, end) <= 0) return p;
  }
  return new Uint8Array(0);
}

/**
 * Write on every key an etcd DeleteRange, or a Txn's delete over a range, may touch: a single
 * key (rangeEnd empty) needs key:write on it; a range needs write on all of its covering
 * prefix (Consul's KeyWritePrefix), so a rule that withholds write anywhere under that prefix
 * refuses the whole range, even for keys outside [key, rangeEnd) (stricter, never looser).
 */
export function keyRangeWrite(authz: Authorizer, key: Uint8Array, rangeEnd: Uint8Array): Decision {
  if (rangeEnd.length === 0) return keyWriteBytes(authz, key);
  return authz.keyWritePrefix(validPrefix(coveringPrefix(key, rangeEnd)));
}

/**
 * Read of every key an etcd Range, a Txn's range or a Watch may return: one key (rangeEnd
 * empty) needs key:read on it; a range needs read on all of its covering prefix, as etcd
 * refuses a range its role does not wholly cover (stricter than the keys it returns, never looser).
 */
export function keyRangeRead(authz: Authorizer, key: Uint8Array, rangeEnd: Uint8Array): Decision {
  if (rangeEnd.length === 0) return keyReadBytes(authz, key);
  return authz.keyReadPrefix(validPrefix(coveringPrefix(key, rangeEnd)));
}
