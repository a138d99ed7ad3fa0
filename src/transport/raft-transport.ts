import * as grpc from '@grpc/grpc-js';
import type { RaftPeerHandlers } from '../gen/roster/roster/raft/v1/RaftPeer.js';
import type { Message } from '../raft/index.js';
import type { Clock } from '../util/clock.js';
import { RosterError } from '../util/errors.js';
import type { NodeId } from '../util/ids.js';
import type { Logger } from '../util/logger.js';
import type { Deadline } from '../time/deadline.js';
import { ClusterIdentity } from './cluster-identity.js';
import { listenGrpc, type GrpcListener } from '../tls/tls-listener.js';
import { peerListenerTls, type PeerAuth, type PeerSecurity } from './peer-security.js';
import { forwardTo, serveForward } from './forwarding.js';
import { receiveMessages } from './message-receive.js';
import { PEER_CHANNEL_OPTIONS } from './peer-channel.js';
import { PeerStreams } from './peer-streams.js';
import { raftPeerService } from './raft-peer-service.js';
import type { SnapshotFailureStatus, SnapshotFailuresOptions } from './snapshot-failures.js';
import { receiveSnapshot } from './snapshot-receive.js';
import { SnapshotSender } from './snapshot-send.js';
import type { TransportHandlers } from './transport-handlers.js';

export type { TransportHandlers } from './transport-handlers.js';
export { MISMATCH_BACKOFF } from './peer-streams.js';
export { SNAPSHOT_BACKOFF } from './snapshot-send.js';

export interface TransportOptions {
  readonly self: NodeId;
  /** '' for a joiner with an empty data dir: it adopts the id of the first peer that calls it. */
  readonly clusterId: string;
  /** host:port to listen on for peers. */
  readonly listen: string;
  /** The peer address (host:port) of a node, if known. */
  readonly addressOf: (id: NodeId) => string | undefined;
  readonly handlers: TransportHandlers;
  readonly logger: Logger;
  /** Back-off after failed snapshots (defaults: SNAPSHOT_BACKOFF, the clock, Math.random). */
  readonly snapshotBackoff?: Partial<SnapshotFailuresOptions>;
  /** Times every back-off here (default: the monotonic clock; never wall time). */
  readonly clock?: Clock;
  /** TLS on the peer port, or the dev mode without it (peer-security.ts). */
  readonly security: PeerSecurity;
}

/**
 * Raft over gRPC, on the peer port. Each server keeps one long-lived client stream to each peer
 * for its outgoing messages (peer-streams.ts) and accepts the peers' streams for incoming ones
 * (message-receive.ts); snapshots travel on their own calls (snapshot-send.ts,
 * snapshot-receive.ts), and so do client requests forwarded to the leader (forwarding.ts). Every
 * call names its sender's cluster, and one of another cluster is refused (cluster-identity.ts).
 */
export class RaftTransport {
  private server: grpc.Server | undefined;
  private listener: GrpcListener | undefined;
  private readonly identity: ClusterIdentity;
  private readonly peers: PeerStreams;
  private readonly snapshots: SnapshotSender;

  constructor(private readonly opts: TransportOptions) {
    const clock = opts.clock ?? { now: () => performance.now() };
    const { self, logger, handlers } = opts;
    this.identity = new ClusterIdentity({ self, clusterId: opts.clusterId, logger, handlers, security: opts.security, peerAddrOf: opts.addressOf });
    this.peers = new PeerStreams({ self, addressOf: opts.addressOf, selfAddress: opts.listen, identity: this.identity, security: opts.security, clock, logger, handlers });
    this.snapshots = new SnapshotSender({ self, peers: this.peers, identity: this.identity, clock, logger, handlers, ...(opts.snapshotBackoff === undefined ? {} : { backoff: opts.snapshotBackoff }) });
  }

  /** The cluster this server's messages carry ('' until a joiner adopts one). */
  get cluster(): string {
    return this.identity.clusterId;
  }

  async start(): Promise<void> {
    const server = new grpc.Server(PEER_CHANNEL_OPTIONS);
    const { self, logger, handlers } = this.opts;
    const received = { self, logger, handlers, heardFrom: (id: NodeId) => this.snapshots.heardFrom(id), streamOpenedBy: (id: NodeId) => this.peers.heardFrom(id) };
    const serve: RaftPeerHandlers = {
      Stream: (call, cb) => this.admitted(call, cb, (from) => receiveMessages(call, cb, from, received)),
      InstallSnapshot: (call, cb) => this.admitted(call, cb, (from) => receiveSnapshot(call, cb, from, handlers, this.opts.logger)),
      Forward: (call, cb) => this.admitted(call, cb, () => serveForward(call, cb, handlers)),
    };
    server.addService(raftPeerService(), serve);
    this.listener = await listenGrpc(server, this.opts.listen, peerListenerTls(this.opts.security, logger));
    this.server = server;
  }

  async stop(): Promise<void> {
    this.peers.close();
    const server = this.server;
    this.server = undefined;
    if (server === undefined) return;
    this.listener?.stopAccepting();
    // Peers' streams never end on their own: give in-flight calls a moment, then close.
    await new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        server.forceShutdown();
        resolve();
      }, 300);
      server.tryShutdown(() => {
        clearTimeout(t);
        resolve();
      });
    });
    this.listener?.close();
  }

  // ---- outgoing ----

  send(messages: readonly Message[]): void {
    for (const m of messages) {
      if (m.type === 'snap') this.snapshots.send(m.to, m.term, m.snapshot.meta);
      else this.peers.send(m);
    }
  }

  /** Hands client proposals to the leader, on the same ordered stream as Raft messages. */
  sendProposals(to: NodeId, data: readonly Uint8Array[]): boolean {
    return this.peers.write(to, { type: 'PROPOSE', from: this.opts.self, to, entries: data.map((d) => ({ data: d })) }, data.reduce((n, d) => n + d.length + 16, 64));
  }

  /** Tells a follower its proposals were not accepted here. */
  refuseProposals(to: NodeId, requestIds: readonly Uint8Array[], leaderHint: NodeId): void {
    this.peers.write(to, { type: 'PROPOSE_REJECT', from: this.opts.self, to, leaderHint, entries: requestIds.map((d) => ({ data: d })) }, 64 + requestIds.length * 24);
  }

  /** Tells a follower where its proposals are in the log (so a leader change need not fail them). */
  acceptProposals(to: NodeId, requestIds: readonly Uint8Array[], index: number, term: number): void {
    this.peers.write(to, { type: 'PROPOSE_ACCEPT', from: this.opts.self, to, index, logTerm: term, entries: requestIds.map((d) => ({ data: d })) }, 64 + requestIds.length * 24);
  }

  /** The InstallSnapshot failures to `id` since its last success, if any (for operators). */
  snapshotStatus(id: NodeId): SnapshotFailureStatus | undefined {
    return this.snapshots.status(id);
  }

  /** Milliseconds since the last failed InstallSnapshot to `id`, -1 if none since its last success. */
  msSinceSnapshotFailure(id: NodeId): number {
    return this.snapshots.msSinceFailure(id);
  }

  /** Whether our channel to `id`'s peer address is connected (we reach it, not only hear from it). */
  reachable(id: NodeId): boolean {
    return this.peers.peer(id)?.client.getChannel().getConnectivityState(false) === grpc.connectivityState.READY;
  }

  /** Sends a client request to `to` (the leader) and returns its serialized response. */
  forward(to: NodeId, method: string, payload: Uint8Array, deadline: Deadline | undefined): Promise<Uint8Array> {
    const peer = this.peers.peer(to);
    if (peer === undefined) return Promise.reject(new RosterError('NO_ROUTE', `no address known for ${to}`));
    return forwardTo(peer.client, this.identity.metadata, method, payload, deadline);
  }

  // ---- incoming ----

  /** Runs `serve` with the call's sender if its cluster is ours; otherwise refuses the call. */
  private admitted<T>(call: { readonly metadata: grpc.Metadata; getAuthContext(): PeerAuth; getPeer(): string }, cb: grpc.sendUnaryData<T>, serve: (from: NodeId) => void): void {
    const who = this.identity.sender(call);
    if ('refused' in who) this.identity.refuse(cb, who);
    else serve(who.from);
  }
}
