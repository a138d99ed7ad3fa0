import * as grpc from '@grpc/grpc-js';
import { noteDropped } from '../util/dropped.js';
import { nodeId, type NodeId } from '../util/ids.js';
import type { Logger } from '../util/logger.js';
import { sourceMismatch } from './peer-source.js';
import type { TransportHandlers } from './transport-handlers.js';
import { peerRefusal, type PeerAuth, type PeerSecurity } from './peer-security.js';

/** Metadata naming the cluster of the caller, and of the server in a refusal's trailers. */
export const CLUSTER_KEY = 'roster-cluster';

/** Whom an incoming call is from, or why it is refused (the refusal names both clusters). */
export type Sender = { readonly from: NodeId } | Refusal;

/** A refused call: why (naming both clusters when it is another cluster's), and that cluster. */
export interface Refusal {
  readonly refused: string;
  readonly reason: RefusalReason;
  readonly foreign?: { readonly from: NodeId; readonly theirs: string };
}

/** Why an incoming call was refused: the `reason` label of `roster_dropped_total{site="raft_peer"}`. */
type RefusalReason = 'no_sender' | 'no_cluster_id' | 'another_cluster' | 'no_tls' | 'sender_not_certified' | 'source_mismatch';

export interface ClusterIdentityOptions {
  readonly self: NodeId;
  /** '' for a joiner with an empty data dir: it adopts the id of the first peer that calls it. */
  readonly clusterId: string;
  readonly logger: Logger;
  readonly handlers: Pick<TransportHandlers, 'clusterMismatch' | 'clusterAdopted'>;
  /** Who a sender may be: with TLS, the server its certificate names. */
  readonly security: PeerSecurity;
  /** Without TLS: where each member's peer port is; a sender must call from its IP (peer-source.ts). */
  readonly peerAddrOf?: (id: NodeId) => string | undefined;
}

/**
 * The cluster this server's peer calls belong to. Every call carries its sender's cluster id;
 * one from another cluster is refused, naming both ids (ours in the trailers too, so the sender
 * can say which cluster refused it). A joiner without an id yet takes the first one it is called
 * with: only a cluster that added it as a member calls it, and its empty data dir has nothing to
 * protect.
 */
export class ClusterIdentity {
  private id: string;
  /** What every outgoing call carries: our cluster and our name. */
  readonly metadata: grpc.Metadata;

  constructor(private readonly o: ClusterIdentityOptions) {
    this.id = o.clusterId;
    this.metadata = new grpc.Metadata();
    this.metadata.set(CLUSTER_KEY, o.clusterId);
    this.metadata.set('roster-from', o.self);
  }

  /** The cluster this server's messages carry ('' until a joiner adopts one). */
  get clusterId(): string {
    return this.id;
  }

  /** The other cluster a peer's failure says it belongs to (it refused us as foreign), if it does. */
  foreignClusterOf(err: unknown): string | undefined {
    const e = err as grpc.ServiceError;
    const theirs = e.code === grpc.status.FAILED_PRECONDITION ? String(e.metadata?.get(CLUSTER_KEY)[0] ?? '') : '';
    return theirs === '' || theirs === this.id ? undefined : theirs;
  }

  /** Who sent an incoming call, or why it is refused. */
  sender(call: { readonly metadata: grpc.Metadata; getAuthContext?(): PeerAuth; getPeer?(): string }): Sender {
    let from: NodeId;
    try {
      from = nodeId(String(call.metadata.get('roster-from')[0] ?? ''));
    } catch {
      return { refused: 'a call without a valid roster-from sender', reason: 'no_sender' };
    }
    // Before the cluster id is looked at (a joiner adopts the first one it is called with).
    const unproven = peerRefusal(this.o.security, call, from);
    if (unproven !== undefined) return unproven;
    const theirs = String(call.metadata.get(CLUSTER_KEY)[0] ?? '').slice(0, 64);
    if (theirs === '') return { refused: `a call from ${from} without a cluster id`, reason: 'no_cluster_id' };
    // Without TLS the sender's IP is all there is to check its claim against; with TLS its
    // certificate already proved it (above), from wherever it calls.
    const moved = this.o.peerAddrOf === undefined || this.o.security.mode === 'tls' ? undefined : sourceMismatch(this.o.peerAddrOf(from), call.getPeer?.() ?? '');
    if (moved !== undefined) return { refused: `a call claiming to be ${from}: ${moved}`, reason: 'source_mismatch' };
    if (this.id === '') {
      this.id = theirs;
      this.metadata.set(CLUSTER_KEY, theirs);
      this.o.logger.info('raft transport: joined cluster', { cluster: theirs, from });
      this.o.handlers.clusterAdopted?.(theirs, from);
    }
    if (theirs === this.id) return { from };
    return { refused: `${from} belongs to cluster ${theirs}, this server (${this.o.self}) to cluster ${this.id}`, reason: 'another_cluster', foreign: { from, theirs } };
  }

  /** Refuses a call, counted and logged (at the 1st, 2nd, 4th… of each reason: a flood stays quiet). */
  /** The answer goes out before the mismatch is recorded: recording it may stop this server. */
  refuse<T>(cb: grpc.sendUnaryData<T>, r: Refusal): void {
    noteDropped(this.o.logger, 'raft_peer', r.reason, `refused: ${r.refused}`);
    const metadata = new grpc.Metadata();
    metadata.set(CLUSTER_KEY, this.id);
    cb({ code: grpc.status.FAILED_PRECONDITION, details: `refused: ${r.refused}`, metadata });
    if (r.foreign !== undefined) this.o.handlers.clusterMismatch?.(r.foreign.from, r.foreign.theirs);
  }
}
