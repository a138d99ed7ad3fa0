import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RosterError } from '../util/errors.js';
import { nodeId, type NodeId } from '../util/ids.js';
import { isHostPort } from '../util/host-port.js';

/** Who this server is; written to the data dir on first start and read back ever after. */
export interface ServerIdentity {
  readonly name: NodeId;
  /** uint64, decimal: etcd's cluster_id. */
  readonly clusterId: string;
  /** The founding members and their peer addresses (empty for a server that joined later). */
  readonly initialCluster: Readonly<Record<string, string>>;
  /**
   * Restored from a snapshot: the Raft members of the cluster it was taken from that are not
   * members of this one. Their catalog nodes came along in the state; the leader removes them.
   */
  readonly retiredServers?: readonly string[];
}

/** FNV-1a, 64 bits, as a decimal string: stable IDs in the uint64 range etcd clients expect. */
export function fnv64(text: string): string {
  let h = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(text)) {
    h ^= BigInt(byte);
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  // Keep it positive as an int64 too (some clients store IDs signed).
  return (h & 0x7fffffffffffffffn).toString();
}

/** etcd's member_id for a member name. */
export function memberIdOf(name: string): string {
  return fnv64(`roster-member/${name}`);
}

/** Parses "n1=127.0.0.1:8300,n2=127.0.0.2:8300". */
export function parseInitialCluster(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of text.split(',').map((p) => p.trim()).filter((p) => p !== '')) {
    const eq = part.indexOf('=');
    if (eq <= 0 || eq === part.length - 1) throw new RosterError('INVALID_CONFIG', `--initial-cluster: "${part}" is not name=host:port`);
    const name = nodeId(part.slice(0, eq));
    const addr = part.slice(eq + 1);
    if (!isHostPort(addr)) throw new RosterError('INVALID_CONFIG', `--initial-cluster: "${addr}" is not host:port`);
    if (out[name] !== undefined) throw new RosterError('INVALID_CONFIG', `--initial-cluster: ${name} appears twice`);
    out[name] = addr;
  }
  return out;
}

/**
 * etcd's cluster id: the founding members and the founding's token, so two clusters founded with
 * the same list are told apart by their tokens (see cluster-token.ts). An empty token gives the
 * id data dirs from before tokens carry.
 */
export function clusterIdOf(initialCluster: Readonly<Record<string, string>>, token = ''): string {
  const canonical = Object.keys(initialCluster)
    .sort()
    .map((k) => `${k}=${initialCluster[k]}`)
    .join(',');
  return fnv64(token === '' ? `roster-cluster/${canonical}` : `roster-cluster/${canonical}/token=${token}`);
}

const FILE = 'IDENTITY.json';

export async function readIdentity(dataDir: string): Promise<ServerIdentity | undefined> {
  let text: string;
  try {
    text = await readFile(join(dataDir, FILE), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const raw = JSON.parse(text) as { name: string; clusterId: string; initialCluster: Record<string, string>; retiredServers?: unknown };
  const retired = Array.isArray(raw.retiredServers) ? raw.retiredServers.filter((n): n is string => typeof n === 'string') : [];
  return { name: nodeId(raw.name), clusterId: raw.clusterId, initialCluster: raw.initialCluster, ...(retired.length > 0 ? { retiredServers: retired } : {}) };
}

/** The data dir's identity, or the one `create` makes, written there first; refuses another server's. */
export async function openIdentity(dataDir: string, name: NodeId, create: () => ServerIdentity): Promise<ServerIdentity> {
  const known = await readIdentity(dataDir);
  if (known !== undefined && known.name !== name) throw new RosterError('INVALID_CONFIG', `--name ${name} does not match this data dir, which belongs to ${known.name}`);
  if (known !== undefined) return known;
  const made = create();
  await writeIdentity(dataDir, made);
  return made;
}

export async function writeIdentity(dataDir: string, id: ServerIdentity): Promise<void> {
  const tmp = join(dataDir, `${FILE}.tmp`);
  await writeFile(tmp, `${JSON.stringify(id, null, 2)}\n`, { flush: true });
  await rename(tmp, join(dataDir, FILE));
}
