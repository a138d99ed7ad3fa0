/**
 * The largest numbers a real peer can send, shared by the Raft core and its wire decoder.
 *
 * Terms and log indexes are plain numbers, exact only below 2^53: above it `term + 1 === term`,
 * so a node that took a forged term of 2^60 could never win an election again, even after a
 * restart (the term is durable). A bound well below 2^53 keeps every `+ 1` and every
 * `index + entries.length` exact. 2^48 is a new term every millisecond for 8,900 years, or a
 * million entries a second for 8.9 years of one log without compaction resetting nothing:
 * indexes never reset, so that is the bound that could one day matter, and it is still far off.
 */
export const MAX_WIRE_TERM = 2 ** 48;

/** The largest log index (and commit index) accepted from a peer; see MAX_WIRE_TERM. */
export const MAX_WIRE_INDEX = 2 ** 48;

/** Whether `v` is an integer in [0, max]: what every count, term and index on the wire must be. */
export function inWireBounds(v: unknown, max: number): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 && v <= max;
}
