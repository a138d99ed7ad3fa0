import { RosterError } from '../util/errors.js';

/** How a server that has never run is told to begin: the flags that decide it. */
export interface FoundingFlags {
  /** The data dir holds a server's identity (it has run, joined, or was restored into). */
  readonly hasIdentity: boolean;
  readonly initialCluster: string | undefined;
  readonly bootstrapExpect: number | undefined;
  readonly initialClusterState: string | undefined;
  /** --bootstrap: found a cluster of this server alone. */
  readonly bootstrap: boolean;
}

/**
 * A server with an empty data dir must be told whether to found a cluster, and with whom, or to
 * join one: founding a one-server cluster by default is how a restore gone wrong ends up with
 * several clusters of one, each accepting writes. A data dir that has run already knows.
 */
export function checkFoundingChoice(f: FoundingFlags, dataDir: string): void {
  if (f.bootstrap) {
    if (f.initialCluster !== undefined || f.bootstrapExpect !== undefined || f.initialClusterState !== undefined) {
      throw new RosterError('INVALID_CONFIG', '--bootstrap founds a single-server cluster: give it without --initial-cluster, --bootstrap-expect and --initial-cluster-state');
    }
    return;
  }
  if (f.hasIdentity || f.initialCluster !== undefined || f.bootstrapExpect !== undefined || f.initialClusterState === 'existing') return;
  throw new RosterError(
    'NO_FOUNDING_CHOICE',
    `${dataDir} holds no server yet and nothing says how to begin: pass --initial-cluster n1=host:port,... (found with those servers), --bootstrap-expect N (found through gossip), --bootstrap (found a single-server cluster) or --initial-cluster-state existing (join a running cluster)`,
  );
}
