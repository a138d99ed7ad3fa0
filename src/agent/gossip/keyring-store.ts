import { chmod, mkdir, open, readFile, rename } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { checkKeySize } from '../../transport/gossip-crypto.js';
import { GossipKeyring, type KeyList } from '../../transport/gossip-keyring.js';
import { RosterError } from '../../util/errors.js';
import type { Logger } from '../../util/logger.js';
import type { EncryptionSettings } from './gossip-flags.js';

/** Where a member with a data dir keeps its gossip keys (as Consul's serf/local.keyring). */
export function keyringPath(dataDir: string): string {
  return join(dataDir, 'gossip', 'local.keyring');
}

/**
 * The keyring file: a JSON array of base64 keys, the primary first. Only its owner may read it
 * (0600, in a 0700 folder): whoever reads it can join the pool and read all its gossip.
 */
export async function readKeyringFile(path: string): Promise<Uint8Array[] | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const bad = (why: string): RosterError => new RosterError('INVALID_KEYRING_FILE', `gossip keyring file ${path}: ${why}`, { path });
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw bad('not JSON (an array of base64 keys, the primary first)');
  }
  if (!Array.isArray(parsed) || parsed.length === 0 || parsed.length > 64) throw bad('must be an array of 1 to 64 base64 keys, the primary first');
  return parsed.map((k: unknown, i) => {
    if (typeof k !== 'string' || !/^[A-Za-z0-9+/]+={0,2}$/.test(k)) throw bad(`entry ${i} is not a base64 key`);
    const key = Buffer.from(k, 'base64');
    try {
      checkKeySize(key);
    } catch {
      throw bad(`entry ${i} is ${key.length} bytes, not 16, 24 or 32`);
    }
    return key;
  });
}

/** Replaces the file atomically: a new file (0600), fsynced, renamed over the old, the folder fsynced. */
export async function writeKeyringFile(path: string, keys: KeyList): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const tmp = `${path}.tmp`;
  const f = await open(tmp, 'w', 0o600);
  try {
    // The mode of open applies only to a new file: a tmp left by a crash keeps its own.
    await f.chmod(0o600);
    await f.writeFile(`${JSON.stringify(keys.map((k) => Buffer.from(k).toString('base64')))}\n`);
    await f.sync();
  } finally {
    await f.close();
  }
  await rename(tmp, path);
  const d = await open(dir, 'r');
  try {
    await d.sync();
  } finally {
    await d.close();
  }
  await chmod(path, 0o600);
}

/** A member's keyring and how to keep its changes (a member without a data dir keeps them in memory). */
export interface OpenedKeyring {
  readonly keyring: GossipKeyring | undefined;
  readonly persist: (keys: KeyList) => Promise<void>;
}

/**
 * The keyring at start, as Consul does it: the data dir's keyring file once it exists (it holds
 * what roster keyring made of the pool's keys, so an old `encrypt` no longer matters), else
 * `encrypt`, written to the file at once; without a data dir, `encrypt` in memory.
 */
export async function openKeyring(s: EncryptionSettings, dataDir: string | undefined, logger: Logger): Promise<OpenedKeyring> {
  if (dataDir === undefined || dataDir === '') return { keyring: s.key === undefined ? undefined : new GossipKeyring([s.key]), persist: () => Promise.resolve() };
  const path = keyringPath(dataDir);
  const persist = (keys: KeyList): Promise<void> => writeKeyringFile(path, keys);
  const stored = await readKeyringFile(path);
  if (stored !== undefined) {
    const keyring = new GossipKeyring(stored);
    if (s.key !== undefined && !keyring.keys.some((k) => Buffer.compare(k, s.key!) === 0)) logger.warn('encrypt is not in the keyring file, which wins: the keyring file is used', { file: path, keys: keyring.keys.length });
    logger.info('gossip encryption on (keyring file)', { file: path, keys: keyring.keys.length, primary: keyring.fingerprints()[0] });
    return { keyring, persist };
  }
  if (s.key === undefined) return { keyring: undefined, persist };
  const keyring = new GossipKeyring([s.key]);
  await persist(keyring.keys);
  logger.info('gossip encryption on (encrypt; keyring file written)', { file: path, primary: keyring.fingerprints()[0] });
  return { keyring, persist };
}
