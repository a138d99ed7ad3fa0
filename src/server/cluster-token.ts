import { randomBytes } from 'node:crypto';
import { RosterError } from '../util/errors.js';
import { clusterIdOf } from './identity.js';

/**
 * The founding token (etcd's --initial-cluster-token) makes the cluster id unique to one
 * founding, so a data dir or a server of another cluster founded with the same member list is
 * refused instead of serving a different history under the same id. All founders must agree on
 * it without talking, so: given by the operator to every founder of a static --initial-cluster,
 * drawn at random by a server founding alone, and taken from the lowest-named founder's gossip
 * announcement with --bootstrap-expect.
 */
export const MAX_TOKEN_LENGTH = 128;

/** While deciding, a --bootstrap-expect server announces its token in gossip's clusterId field. */
export const FOUNDING_TOKEN_PREFIX = 'founding-token:';

export function randomClusterToken(): string {
  return randomBytes(8).toString('hex');
}

export function checkClusterToken(token: string): string {
  if (token.length === 0 || token.length > MAX_TOKEN_LENGTH || !/^[\x21-\x7e]+$/.test(token)) {
    throw new RosterError('INVALID_CONFIG', `--initial-cluster-token: must be 1-${MAX_TOKEN_LENGTH} printable characters without spaces`);
  }
  return token;
}

export interface FoundingChoice {
  readonly self: string;
  readonly initialCluster: Readonly<Record<string, string>>;
  readonly state: 'new' | 'existing';
  readonly token: string | undefined;
}

/**
 * The cluster id a server with an empty data dir takes; '' for a joiner without a token, which
 * adopts the id of the first cluster that contacts it (its data dir holds nothing to protect).
 */
export function foundingClusterId(c: FoundingChoice): string {
  if (c.token !== undefined) return clusterIdOf(c.initialCluster, checkClusterToken(c.token));
  if (c.state === 'existing') return '';
  const founders = Object.keys(c.initialCluster);
  if (founders.length === 1 && founders[0] === c.self) return clusterIdOf(c.initialCluster, randomClusterToken());
  throw new RosterError(
    'NO_CLUSTER_TOKEN',
    `--initial-cluster founds a cluster of ${founders.length} servers: give every founder the same --initial-cluster-token, unique to this founding (for instance from \`openssl rand -hex 8\`), so that a data dir or a server of another cluster founded with the same list is refused`,
  );
}
