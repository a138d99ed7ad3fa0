import * as grpc from '@grpc/grpc-js';
import type { Message } from '../raft/index.js';
import { Backoff } from '../util/backoff.js';
import type { Clock } from '../util/clock.js';
import type { NodeId } from '../util/ids.js';
import type { Logger } from '../util/logger.js';
import type { ClusterIdentity } from './cluster-identity.js';
import { peerChannel, type PeerSecurity } from './peer-security.js';
import { PEER_CHANNEL_OPTIONS } from './peer-channel.js';
import { boundPeerTarget } from './peer-source-binding.js';
import type { OutgoingRaftMessage } from './raft-message-codec.js';
import { raftPeerClient, type PeerClient } from './raft-peer-service.js';
import { toWire } from './raft-wire.js';
import type { TransportHandlers } from './transport-handlers.js';

/** After a peer refused us as another cluster's: 1 s doubling to 30 s before trying it again. */
export const MISMATCH_BACKOFF = { initialMs: 1000, maxMs: 30_000, logEveryMs: 10_000 } as const;

/** Outgoing appends beyond this many bytes buffered on one peer's stream are dropped. */
const MAX_BUFFERED_BYTES = 32 * 1024 * 1024;

interface OutStream {
  readonly call: grpc.ClientWritableStream<OutgoingRaftMessage>;
  /** Bytes written and not yet flushed to the socket, on this stream only. */
  buffered: number;
}

/** A peer this server sends to: its client (one channel), its message stream and its back-offs. */
export interface Peer {
  readonly id: NodeId;
  address: string;
  client: PeerClient;
  stream: OutStream | undefined;
  /** No new stream before this time (milliseconds, the transport's clock) after a failure. */
  retryAt: number;
  readonly backoff: Backoff;
  snapshotInFlight: boolean;
  /** Set while the peer refuses us as another cluster's (its id), with its own back-off. */
  foreign: { readonly theirs: string; readonly backoff: Backoff; loggedAt: number } | undefined;
}

export interface PeerStreamsOptions {
  readonly self: NodeId;
  /** The peer address (host:port) of a node, if known. */
  readonly addressOf: (id: NodeId) => string | undefined;
  /** This server's own peer address: connections leave from its IP (peer-source-binding.ts). */
  readonly selfAddress?: string;
  readonly identity: ClusterIdentity;
  /** How peers are dialed: with TLS, only the server whose certificate names the peer is accepted. */
  readonly security: PeerSecurity;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly handlers: Pick<TransportHandlers, 'reportUnreachable' | 'clusterMismatch'>;
}

/**
 * The outgoing side of Raft over gRPC: one long-lived client stream to each peer for this
 * server's messages (so appends pipeline in order). A broken stream is reported (the core stops
 * streaming appends to that peer) and reopened with back-off on the next send; a congested one
 * drops messages rather than buffering without bound, which Raft tolerates. Peers are
 * independent: a slow one never delays another.
 */
export class PeerStreams {
  private readonly peers = new Map<NodeId, Peer>();

  constructor(private readonly o: PeerStreamsOptions) {}

  /** Sends one message (not a snapshot) on its peer's stream, or drops it. */
  send(m: Exclude<Message, { type: 'snap' }>): void {
    const peer = this.peer(m.to);
    if (peer === undefined) return;
    const stream = this.streamTo(peer);
    if (stream === undefined) return;
    if (stream.buffered > MAX_BUFFERED_BYTES) return; // congested: drop, Raft retransmits
    const wire = toWire(m);
    const size = m.type === 'app' ? m.entries.reduce((n, e) => n + e.data.length + 32, 64) : 64;
    stream.buffered += size;
    stream.call.write(wire, () => {
      stream.buffered -= size;
    });
  }

  /** Writes `wire` (of about `size` bytes) on `to`'s stream; false if it was dropped. */
  write(to: NodeId, wire: OutgoingRaftMessage, size: number): boolean {
    const peer = this.peer(to);
    if (peer === undefined) return false;
    const stream = this.streamTo(peer);
    if (stream === undefined || stream.buffered > MAX_BUFFERED_BYTES) return false;
    stream.buffered += size;
    stream.call.write(wire, () => {
      stream.buffered -= size;
    });
    return true;
  }

  /** The peer `id` at its current address (a new client when the address changed), if it has one. */
  peer(id: NodeId): Peer | undefined {
    const address = this.o.addressOf(id);
    if (address === undefined || id === this.o.self) return undefined;
    let p = this.peers.get(id);
    if (p !== undefined && p.address !== address) {
      this.drop(p, 'address changed');
      p.client.close();
      p = undefined;
    }
    if (p === undefined) {
      p = {
        id,
        address,
        client: ((c) => raftPeerClient(c.target, c.credentials, c.options))(this.channelTo(id, address)),
        stream: undefined,
        retryAt: 0,
        backoff: new Backoff({ initialMs: 50, maxMs: 250 }),
        snapshotInFlight: false,
        foreign: undefined,
      };
      this.peers.set(id, p);
    }
    return p;
  }

  /**
   * How to reach `id`: with TLS, a channel that takes only the server whose certificate names it;
   * without, a plain one leaving from our own peer IP (the receiver's source check).
   */
  private channelTo(id: NodeId, address: string): { target: string; credentials: grpc.ChannelCredentials; options: grpc.ChannelOptions } {
    if (this.o.security.mode === 'tls') return { target: address, ...peerChannel(this.o.security, id, address) };
    const bound = boundPeerTarget(address, this.o.selfAddress, PEER_CHANNEL_OPTIONS);
    return { target: bound.target, credentials: grpc.credentials.createInsecure(), options: bound.options };
  }

  /** `id` opened a stream to us: it is up, so the next reconnect to it starts from the shortest back-off. */
  heardFrom(id: NodeId): void {
    this.peers.get(id)?.backoff.reset();
  }

  /** Ends every stream and closes every client. */
  close(): void {
    for (const p of this.peers.values()) {
      p.stream?.call.end();
      p.client.close();
    }
    this.peers.clear();
  }

  private streamTo(peer: Peer): OutStream | undefined {
    if (peer.stream !== undefined) return peer.stream;
    if (this.o.clock.now() < peer.retryAt) return undefined;
    const call = peer.client.Stream(this.o.identity.metadata, (err) => {
      if (err !== null && peer.stream?.call === call && this.refusedAsForeign(peer, err)) return;
      if (err === null) peer.foreign = undefined;
      if (peer.stream?.call === call) this.drop(peer, err?.message ?? 'closed');
    });
    call.on('error', (err: Error) => {
      if (peer.stream?.call === call) this.drop(peer, err.message);
    });
    peer.stream = { call, buffered: 0 };
    return peer.stream;
  }

  /**
   * The peer refused us as another cluster's (its id in the trailers): say so at error level
   * naming both ids, and leave it alone for a back-off that grows to 30 s (messages to it are
   * dropped meanwhile, which Raft tolerates), instead of reconnecting every 250 ms.
   */
  private refusedAsForeign(peer: Peer, err: grpc.ServiceError): boolean {
    const theirs = this.o.identity.foreignClusterOf(err);
    if (theirs === undefined) return false;
    const cluster = this.o.identity.clusterId;
    const now = this.o.clock.now();
    const f = (peer.foreign = peer.foreign?.theirs === theirs ? peer.foreign : { theirs, backoff: new Backoff(MISMATCH_BACKOFF), loggedAt: -Infinity });
    const waitMs = f.backoff.next();
    if (now - f.loggedAt >= MISMATCH_BACKOFF.logEveryMs) {
      f.loggedAt = now;
      this.o.logger.error(`raft transport: ${peer.id} belongs to cluster ${theirs}, this server to cluster ${cluster}; not sending to it (a data dir or a server of another cluster?)`, { peer: peer.id, peerCluster: theirs, cluster, retryInMs: waitMs });
    }
    const stream = peer.stream?.call;
    peer.stream = undefined;
    peer.retryAt = now + waitMs;
    stream?.removeAllListeners();
    stream?.on('error', () => {});
    this.o.handlers.reportUnreachable(peer.id);
    this.o.handlers.clusterMismatch?.(peer.id, theirs);
    return true;
  }

  private drop(peer: Peer, why: string): void {
    const stream = peer.stream?.call;
    peer.stream = undefined;
    peer.retryAt = this.o.clock.now() + peer.backoff.next();
    stream?.removeAllListeners();
    stream?.on('error', () => {});
    stream?.cancel?.();
    this.o.logger.debug('raft transport: stream to peer lost', { peer: peer.id, why });
    this.o.handlers.reportUnreachable(peer.id);
  }
}
