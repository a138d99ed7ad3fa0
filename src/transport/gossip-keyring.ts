import { RosterError } from '../util/errors.js';
import { checkKeySize, keyFingerprint } from './gossip-crypto.js';

/** A keyring's keys, primary first: what the keyring file holds and the operations change. */
export type KeyList = readonly Uint8Array[];

/**
 * A member's gossip keys: one primary, which everything it sends is encrypted with, and any
 * number of others it also accepts. A rotation installs a new key everywhere, makes it primary
 * everywhere, then removes the old one, so at every step each member can read what every other
 * sends. Operations check first and change nothing when they refuse.
 */
export class GossipKeyring {
  private list: Uint8Array[];

  constructor(keys: KeyList) {
    if (keys.length === 0) throw new RosterError('KEYRING_EMPTY', 'a keyring needs at least one key');
    for (const k of keys) checkKeySize(k);
    this.list = dedupe(keys);
  }

  /** The key outgoing messages are encrypted with. */
  get primary(): Uint8Array {
    return this.list[0]!;
  }

  /** Every key, primary first: the order incoming messages are tried in. */
  get keys(): KeyList {
    return this.list;
  }

  /** Adds a key it accepts from now on (already there: nothing changes). */
  install(key: Uint8Array): void {
    checkKeySize(key);
    if (this.indexOf(key) < 0) this.list = [...this.list, Uint8Array.from(key)];
  }

  /** Makes an installed key the primary; the old primary stays installed. */
  use(key: Uint8Array): void {
    const i = this.indexOf(key);
    if (i < 0) throw new RosterError('KEY_NOT_INSTALLED', `key ${keyFingerprint(key)} is not installed (install it first)`);
    this.list = [this.list[i]!, ...this.list.filter((_, j) => j !== i)];
  }

  /** Removes a key that is not the primary (not there: nothing changes). */
  remove(key: Uint8Array): void {
    const i = this.indexOf(key);
    if (i === 0) throw new RosterError('KEY_IS_PRIMARY', `key ${keyFingerprint(key)} is the primary key: make another one primary first (roster keyring --use)`);
    if (i > 0) this.list = this.list.filter((_, j) => j !== i);
  }

  /** Puts back keys it held before (a change that could not be kept is undone). */
  replaceAll(keys: KeyList): void {
    const next = new GossipKeyring(keys);
    this.list = [...next.list];
  }

  /** Fingerprints of every key, primary first (what answers and `roster keyring --list` show). */
  fingerprints(): string[] {
    return this.list.map(keyFingerprint);
  }

  private indexOf(key: Uint8Array): number {
    return this.list.findIndex((k) => Buffer.compare(k, key) === 0);
  }
}

function dedupe(keys: KeyList): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const k of keys) if (!out.some((o) => Buffer.compare(o, k) === 0)) out.push(Uint8Array.from(k));
  return out;
}
