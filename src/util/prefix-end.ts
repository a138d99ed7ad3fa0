/**
 * The smallest byte string greater than every string that starts with `prefix` (etcd's
 * GetPrefixRangeEnd): the prefix with its last non-0xff byte incremented and the rest dropped.
 * Undefined when there is none (empty or all 0xff): "to the end of the keyspace", which etcd's
 * API spells as a range end of one zero byte. One definition for the store and the CLI.
 */
export function prefixEnd(prefix: Uint8Array): Uint8Array | undefined {
  for (let i = prefix.length - 1; i >= 0; i--) {
    if (prefix[i]! < 0xff) {
      const out = new Uint8Array(i + 1);
      out.set(prefix.subarray(0, i + 1));
      out[i] = prefix[i]! + 1;
      return out;
    }
  }
  return undefined;
}

/** etcd's range end for "every key with this prefix": prefixEnd, or one zero byte (to the end of the keyspace) when there is none. */
export function prefixRangeEnd(prefix: Uint8Array): Uint8Array {
  return prefixEnd(prefix) ?? Uint8Array.of(0);
}
