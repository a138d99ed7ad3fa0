import { isRosterError, RosterError } from '../util/errors.js';
import type { NodeId } from '../util/ids.js';
import type { Logger } from '../util/logger.js';

/**
 * The peers found to belong to another cluster (they refused this server's calls, or called it
 * with another id). Either side of a mismatch sees it; the odd one out is the server that most
 * of its own voters disagree with: a data dir of another cluster started among them. It stops;
 * the others carry on (one foreign peer among several voters is the foreign one's problem).
 */
export class ForeignPeers {
  private readonly peers = new Map<NodeId, string>();

  constructor(private readonly stop: (err: RosterError) => void) {}

  /** Records one; stops this server when most of the other voters carry `theirs`. */
  record(peer: NodeId, theirs: string, voters: readonly NodeId[], self: { readonly name: NodeId; readonly clusterId: string }): void {
    this.peers.set(peer, theirs);
    const others = voters.filter((v) => v !== self.name);
    const disagreeing = others.filter((v) => this.peers.get(v) === theirs);
    if (others.length === 0 || disagreeing.length < Math.floor(others.length / 2) + 1) return;
    this.stop(new RosterError(
      'CLUSTER_MISMATCH',
      `this server (${self.name}) belongs to cluster ${self.clusterId}, but its peers ${disagreeing.join(', ')} belong to cluster ${theirs}: this data dir is another cluster's. Start it with its own cluster's servers, or move it aside and join this cluster as a new member (operator raft remove-peer ${self.name}, then add-learner and an empty data dir)`,
      { cluster: self.clusterId, peerCluster: theirs },
    ));
  }
}

/** Stops that tell the operator what to do rather than reveal a bug: no stack trace. */
const ADVISED_STOPS: ReadonlySet<string> = new Set(['CLUSTER_MISMATCH', 'LOG_DIVERGED', 'LOG_LOST']);

/** Says an advised stop in one line (the log and the terminal alike); false for anything else. */
export function saidAdvisedStop(err: unknown, logger: Logger): boolean {
  if (!isRosterError(err) || !ADVISED_STOPS.has(err.code)) return false;
  logger.error('stopping', { code: err.code, error: err.message });
  process.stderr.write(`roster: ${err.message}\n`);
  return true;
}
