import * as grpc from '@grpc/grpc-js';
import type { ForwardRequest__Output } from '../gen/roster/roster/raft/v1/ForwardRequest.js';
import type { ForwardResponse } from '../gen/roster/roster/raft/v1/ForwardResponse.js';
import type { RaftPeerClient, RaftPeerHandlers } from '../gen/roster/roster/raft/v1/RaftPeer.js';
import type { SnapshotChunk, SnapshotChunk__Output } from '../gen/roster/roster/raft/v1/SnapshotChunk.js';
import type { SnapshotReceipt } from '../gen/roster/roster/raft/v1/SnapshotReceipt.js';
import type { RaftMessage, RaftMessage__Output } from '../gen/roster/roster/raft/v1/RaftMessage.js';
import type { StreamSummary } from '../gen/roster/roster/raft/v1/StreamSummary.js';
import type { Message, SnapshotMeta } from '../raft/index.js';
import { RosterError } from '../util/errors.js';
import { nodeId, type NodeId } from '../util/ids.js';
import type { Logger } from '../util/logger.js';
import { raftProto } from '../proto/raft-proto.js';
import { PEER_CHANNEL_OPTIONS } from './peer-channel.js';
import { fromWire, toWire } from './raft-wire.js';
import { SnapshotFailures, type SnapshotFailureStatus, type SnapshotFailuresOptions } from './snapshot-failures.js';
import { Backoff } from '../util/backoff.js';
import { noteDropped } from '../util/dropped.js';
import type { Clock } from '../util/clock.js';
import { deadlineFromGrpc, toGrpcDeadline, type Deadline } from '../time/deadline.js';

/** What the transport delivers to, and asks of, the server it serves. */
export interface TransportHandlers {
  onMessage(m: Message): void;
  /** A snapshot arrives: consume `data` fully, then resolve (the sender learns it succeeded). */
  onSnapshot(head: { from: NodeId; term: number; meta: SnapshotMeta }, data: AsyncIterable<Uint8Array>): Promise<void>;
  /** A follower's client proposals (entry data), to propose if this server leads. */
  onProposals(from: NodeId, data: readonly Uint8Array[]): void;
  /** The server we forwarded proposals to refused them; `leaderHint` is the leader it knows. */
  onProposalsRefused(from: NodeId, requestIds: readonly Uint8Array[], leaderHint: string): void;
  /** The leader appended the proposals we handed it, in order from (`index`, `term`). */
  onProposalsAccepted(from: NodeId, requestIds: readonly Uint8Array[], index: number, term: number): void;
  /** A forwarded client request; resolves with the serialized response, or throws a gRPC error. */
  onForward(method: string, payload: Uint8Array, deadline: Deadline | undefined): Promise<Uint8Array>;
  /** The bytes of the snapshot to send (prepared by the server at `meta.index`). */
  snapshotData(meta: SnapshotMeta): AsyncIterable<Uint8Array>;
  reportUnreachable(id: NodeId): void;
  reportSnapshot(id: NodeId, ok: boolean): void;
  /** A snapshot to `id` failed (counted in metrics); the transport backs off before the next. */
  snapshotFailed(id: NodeId, error: string): void;
  /** `peer` belongs to another cluster (it refused us, or we refused it): `theirs` is its id. */
  clusterMismatch?(peer: NodeId, theirs: string): void;
  /** This server had no cluster id (a joiner with an empty data dir) and took `id` from `from`. */
  clusterAdopted?(id: string, from: NodeId): void;
}

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
}

/** 0.5 s after the first failed snapshot to a peer, doubling to 30 s; one warning per 10 s. */
export const SNAPSHOT_BACKOFF = { firstMs: 500, maxMs: 30_000, warnEveryMs: 10_000 } as const;

/** After a peer refused us as another cluster's: 1 s doubling to 30 s before trying it again. */
export const MISMATCH_BACKOFF = { initialMs: 1000, maxMs: 30_000, logEveryMs: 10_000 } as const;

/** Metadata naming the cluster of the caller, and of the server in a refusal's trailers. */
const CLUSTER_KEY = 'roster-cluster';

/** Outgoing appends beyond this many bytes buffered on one peer's stream are dropped. */
const MAX_BUFFERED_BYTES = 32 * 1024 * 1024;
const SNAPSHOT_CHUNK_BYTES = 256 * 1024;

interface OutStream {
  readonly call: grpc.ClientWritableStream<RaftMessage>;
  /** Bytes written and not yet flushed to the socket, on this stream only. */
  buffered: number;
}

interface Peer {
  readonly id: NodeId;
  address: string;
  client: RaftPeerClient;
  stream: OutStream | undefined;
  /** No new stream before this time (milliseconds, the transport's clock) after a failure. */
  retryAt: number;
  readonly backoff: Backoff;
  snapshotInFlight: boolean;
  /** Set while the peer refuses us as another cluster's (its id), with its own back-off. */
  foreign: { readonly theirs: string; readonly backoff: Backoff; loggedAt: number } | undefined;
}

/** Whom an incoming call is from, or why it is refused (the refusal names both clusters). */
type Sender = { readonly from: NodeId } | Refusal;

/** A refused call: why (naming both clusters when it is another cluster's), and that cluster. */
interface Refusal {
  readonly refused: string;
  readonly reason: RefusalReason;
  readonly foreign?: { readonly from: NodeId; readonly theirs: string };
}

/** Why an incoming call was refused: the `reason` label of `roster_dropped_total{site="raft_peer"}`. */
type RefusalReason = 'no_sender' | 'no_cluster_id' | 'another_cluster';

/**
 * Raft over gRPC. Each server keeps one long-lived client stream to each peer for its outgoing
 * messages (so appends pipeline in order) and accepts the peers' streams for incoming ones.
 * A broken stream is reported (the core stops streaming appends to that peer) and reopened
 * with back-off on the next send; a congested one drops messages rather than buffering without
 * bound, which Raft tolerates. Peers are independent: a slow one never delays another.
 */
export class RaftTransport {
  private server: grpc.Server | undefined;
  private readonly peers = new Map<NodeId, Peer>();
  private readonly metadata: grpc.Metadata;
  private readonly snapshotFailures: SnapshotFailures;
  private clusterId: string;
  private readonly clock: Clock;

  constructor(private readonly opts: TransportOptions) {
    const clock = (this.clock = opts.clock ?? { now: () => performance.now() });
    this.snapshotFailures = new SnapshotFailures({ ...SNAPSHOT_BACKOFF, now: () => clock.now(), random: () => Math.random(), ...opts.snapshotBackoff });
    this.clusterId = opts.clusterId;
    this.metadata = new grpc.Metadata();
    this.metadata.set(CLUSTER_KEY, opts.clusterId);
    this.metadata.set('roster-from', opts.self);
  }

  /** The cluster this server's messages carry ('' until a joiner adopts one). */
  get cluster(): string {
    return this.clusterId;
  }

  async start(): Promise<void> {
    const server = new grpc.Server(PEER_CHANNEL_OPTIONS);
    const handlers: RaftPeerHandlers = {
      Stream: (call, cb) => this.acceptStream(call, cb),
      InstallSnapshot: (call, cb) => this.acceptSnapshot(call, cb),
      Forward: (call, cb) => this.acceptForward(call, cb),
    };
    server.addService(raftProto().roster.raft.v1.RaftPeer.service, handlers);
    await new Promise<void>((resolve, reject) => {
      server.bindAsync(this.opts.listen, grpc.ServerCredentials.createInsecure(), (err) => (err ? reject(err) : resolve()));
    });
    this.server = server;
  }

  async stop(): Promise<void> {
    for (const p of this.peers.values()) {
      p.stream?.call.end();
      p.client.close();
    }
    this.peers.clear();
    const server = this.server;
    this.server = undefined;
    if (server === undefined) return;
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
  }

  // ---- outgoing ----

  send(messages: readonly Message[]): void {
    for (const m of messages) {
      if (m.type === 'snap') {
        this.sendSnapshot(m.to, m.term, m.snapshot.meta);
        continue;
      }
      const peer = this.peer(m.to);
      if (peer === undefined) continue;
      const stream = this.streamTo(peer);
      if (stream === undefined) continue;
      if (stream.buffered > MAX_BUFFERED_BYTES) continue; // congested: drop, Raft retransmits
      const wire = toWire(m);
      const size = m.type === 'app' ? m.entries.reduce((n, e) => n + e.data.length + 32, 64) : 64;
      stream.buffered += size;
      stream.call.write(wire, () => {
        stream.buffered -= size;
      });
    }
  }

  /** Hands client proposals to the leader, on the same ordered stream as Raft messages. */
  sendProposals(to: NodeId, data: readonly Uint8Array[]): boolean {
    return this.writeRaw(to, { type: 'PROPOSE', from: this.opts.self, to, entries: data.map((d) => ({ data: d })) }, data.reduce((n, d) => n + d.length + 16, 64));
  }

  /** Tells a follower its proposals were not accepted here. */
  refuseProposals(to: NodeId, requestIds: readonly Uint8Array[], leaderHint: NodeId): void {
    this.writeRaw(to, { type: 'PROPOSE_REJECT', from: this.opts.self, to, leaderHint, entries: requestIds.map((d) => ({ data: d })) }, 64 + requestIds.length * 24);
  }

  /** Tells a follower where its proposals are in the log (so a leader change need not fail them). */
  acceptProposals(to: NodeId, requestIds: readonly Uint8Array[], index: number, term: number): void {
    this.writeRaw(to, { type: 'PROPOSE_ACCEPT', from: this.opts.self, to, index, logTerm: term, entries: requestIds.map((d) => ({ data: d })) }, 64 + requestIds.length * 24);
  }

  private writeRaw(to: NodeId, wire: RaftMessage, size: number): boolean {
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

  private peer(id: NodeId): Peer | undefined {
    const address = this.opts.addressOf(id);
    if (address === undefined || id === this.opts.self) return undefined;
    let p = this.peers.get(id);
    if (p !== undefined && p.address !== address) {
      this.drop(p, 'address changed');
      p.client.close();
      p = undefined;
    }
    if (p === undefined) {
      const Client = raftProto().roster.raft.v1.RaftPeer;
      p = {
        id,
        address,
        client: new Client(address, grpc.credentials.createInsecure(), PEER_CHANNEL_OPTIONS),
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

  private streamTo(peer: Peer): OutStream | undefined {
    if (peer.stream !== undefined) return peer.stream;
    if (this.clock.now() < peer.retryAt) return undefined;
    const call = peer.client.Stream(this.metadata, (err) => {
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
    const theirs = err.code === grpc.status.FAILED_PRECONDITION ? String(err.metadata?.get(CLUSTER_KEY)[0] ?? '') : '';
    if (theirs === '' || theirs === this.clusterId) return false;
    const now = this.clock.now();
    const f = (peer.foreign = peer.foreign?.theirs === theirs ? peer.foreign : { theirs, backoff: new Backoff(MISMATCH_BACKOFF), loggedAt: -Infinity });
    const waitMs = f.backoff.next();
    if (now - f.loggedAt >= MISMATCH_BACKOFF.logEveryMs) {
      f.loggedAt = now;
      this.opts.logger.error(`raft transport: ${peer.id} belongs to cluster ${theirs}, this server to cluster ${this.clusterId}; not sending to it (a data dir or a server of another cluster?)`, { peer: peer.id, peerCluster: theirs, cluster: this.clusterId, retryInMs: waitMs });
    }
    const stream = peer.stream?.call;
    peer.stream = undefined;
    peer.retryAt = now + waitMs;
    stream?.removeAllListeners();
    stream?.on('error', () => {});
    this.opts.handlers.reportUnreachable(peer.id);
    this.opts.handlers.clusterMismatch?.(peer.id, theirs);
    return true;
  }

  private drop(peer: Peer, why: string): void {
    const stream = peer.stream?.call;
    peer.stream = undefined;
    peer.retryAt = this.clock.now() + peer.backoff.next();
    stream?.removeAllListeners();
    stream?.on('error', () => {});
    stream?.cancel?.();
    this.opts.logger.debug('raft transport: stream to peer lost', { peer: peer.id, why });
    this.opts.handlers.reportUnreachable(peer.id);
  }

  private sendSnapshot(to: NodeId, term: number, meta: SnapshotMeta): void {
    const peer = this.peer(to);
    // Refused at once while one is under way or the peer's back-off runs: the core falls back
    // to probing and asks again after the follower's next answer, which costs a message only.
    if (peer === undefined || peer.snapshotInFlight || this.snapshotFailures.waiting(to)) {
      this.opts.handlers.reportSnapshot(to, false);
      return;
    }
    peer.snapshotInFlight = true;
    const progress = { chunks: 0 };
    void this.streamSnapshot(peer, term, meta, progress)
      .then(
        () => undefined,
        (err: unknown) => err ?? new Error('snapshot send failed'),
      )
      .then((err) => {
        peer.snapshotInFlight = false;
        // The core hears the outcome whatever happens here: without it, the peer would stay
        // in snapshot state for good.
        try {
          if (err === undefined) this.snapshotSent(to, meta);
          else this.snapshotSendFailed(to, meta, err, progress.chunks === 0);
        } finally {
          this.opts.handlers.reportSnapshot(to, err === undefined);
        }
      })
      .catch((err: unknown) => noteDropped(this.opts.logger, 'raft_snapshot_send', 'handler_exception', err, { peer: to }));
  }

  private snapshotSent(to: NodeId, meta: SnapshotMeta): void {
    this.snapshotFailures.succeeded(to);
    this.opts.logger.info('raft transport: snapshot sent', { peer: to, index: meta.index });
  }

  /** `nothingSent`: the peer was never reached (no chunk written), not a transfer that broke. */
  private snapshotSendFailed(to: NodeId, meta: SnapshotMeta, err: unknown, nothingSent: boolean): void {
    const error = err instanceof Error ? err.message : String(err);
    const theirs = (err as grpc.ServiceError).code === grpc.status.FAILED_PRECONDITION ? String((err as grpc.ServiceError).metadata?.get(CLUSTER_KEY)[0] ?? '') : '';
    if (theirs !== '' && theirs !== this.clusterId) this.opts.handlers.clusterMismatch?.(to, theirs);
    const unreachable = nothingSent && (err as { code?: unknown }).code === grpc.status.UNAVAILABLE;
    const v = this.snapshotFailures.failed(to, error, unreachable);
    const fields = { peer: to, index: meta.index, failures: v.failures, retryInMs: v.retryInMs, error, ...(v.unreported > 0 ? { notLoggedSinceLastWarning: v.unreported } : {}) };
    if (v.warn) this.opts.logger.warn('raft transport: InstallSnapshot failed; backing off', fields);
    else this.opts.logger.debug('raft transport: InstallSnapshot failed; backing off', fields);
    this.opts.handlers.snapshotFailed(to, error);
  }

  /** The InstallSnapshot failures to `id` since its last success, if any (for operators). */
  snapshotStatus(id: NodeId): SnapshotFailureStatus | undefined {
    return this.snapshotFailures.status(id);
  }

  /** Milliseconds since the last failed InstallSnapshot to `id`, -1 if none since its last success. */
  msSinceSnapshotFailure(id: NodeId): number {
    const f = this.snapshotFailures.status(id);
    return f === undefined ? -1 : Math.max(0, this.clock.now() - f.lastAt);
  }

  private async streamSnapshot(peer: Peer, term: number, meta: SnapshotMeta, progress: { chunks: number }): Promise<void> {
    let call!: grpc.ClientWritableStream<SnapshotChunk>;
    let failure: Error | undefined;
    const done = new Promise<void>((resolve, reject) => {
      call = peer.client.InstallSnapshot(this.metadata, (err) => (err ? reject(err) : resolve()));
    });
    // The call may fail at any moment (the follower died): remember it, never leave it unhandled.
    const ended = done.then(
      () => undefined,
      (err: Error) => {
        failure = err;
      },
    );
    const head = { from: this.opts.self, to: peer.id, term, index: meta.index, snapshotTerm: meta.term, conf: { voters: [...meta.conf.voters], learners: [...meta.conf.learners] } };
    let first = true;
    let pending: Uint8Array = new Uint8Array(0);
    const writeChunk = async (data: Uint8Array): Promise<void> => {
      if (failure !== undefined) throw failure;
      const chunk = first ? { ...head, data } : { data };
      first = false;
      // Counted once the chunk reached the connection (grpc-js calls back then), not when queued.
      if (!call.write(chunk, () => progress.chunks++)) await Promise.race([new Promise<void>((resolve) => call.once('drain', resolve)), ended]);
      if (failure !== undefined) throw failure;
    };
    try {
      for await (const piece of this.opts.handlers.snapshotData(meta)) {
        pending = pending.length === 0 ? piece : concat(pending, piece);
        while (pending.length >= SNAPSHOT_CHUNK_BYTES) {
          await writeChunk(pending.subarray(0, SNAPSHOT_CHUNK_BYTES));
          pending = pending.subarray(SNAPSHOT_CHUNK_BYTES);
        }
      }
      if (pending.length > 0 || first) await writeChunk(pending);
      call.end();
      await ended;
      if (failure !== undefined) throw failure;
    } catch (err) {
      call.cancel();
      throw err;
    }
  }

  /** Sends a client request to `to` (the leader) and returns its serialized response. */
  forward(to: NodeId, method: string, payload: Uint8Array, deadline: Deadline | undefined): Promise<Uint8Array> {
    const peer = this.peer(to);
    if (peer === undefined) return Promise.reject(new RosterError('NO_ROUTE', `no address known for ${to}`));
    return new Promise((resolve, reject) => {
      const options: grpc.CallOptions = deadline === undefined ? {} : { deadline: toGrpcDeadline(deadline) };
      peer.client.Forward({ method, payload }, this.metadata, options, (err, res) => {
        if (err) reject(err);
        else resolve(res!.payload);
      });
    });
  }

  // ---- incoming ----

  /**
   * Every call carries its sender's cluster id; one from another cluster is refused, naming both
   * ids (ours in the trailers too, so the sender can say which cluster refused it). A joiner
   * without an id yet takes the first one it is called with: only a cluster that added it as a
   * member calls it, and its empty data dir has nothing to protect.
   */
  private sender(call: { readonly metadata: grpc.Metadata }): Sender {
    let from: NodeId;
    try {
      from = nodeId(String(call.metadata.get('roster-from')[0] ?? ''));
    } catch {
      return { refused: 'a call without a valid roster-from sender', reason: 'no_sender' };
    }
    const theirs = String(call.metadata.get(CLUSTER_KEY)[0] ?? '').slice(0, 64);
    if (theirs === '') return { refused: `a call from ${from} without a cluster id`, reason: 'no_cluster_id' };
    if (this.clusterId === '') {
      this.clusterId = theirs;
      this.metadata.set(CLUSTER_KEY, theirs);
      this.opts.logger.info('raft transport: joined cluster', { cluster: theirs, from });
      this.opts.handlers.clusterAdopted?.(theirs, from);
    }
    if (theirs === this.clusterId) return { from };
    return { refused: `${from} belongs to cluster ${theirs}, this server (${this.opts.self}) to cluster ${this.clusterId}`, reason: 'another_cluster', foreign: { from, theirs } };
  }

  /** Refuses a call, counted and logged (at the 1st, 2nd, 4th… of each reason: a flood stays quiet). */
  /** The answer goes out before the mismatch is recorded: recording it may stop this server. */
  private refuse<T>(cb: grpc.sendUnaryData<T>, r: Refusal): void {
    noteDropped(this.opts.logger, 'raft_peer', r.reason, `refused: ${r.refused}`);
    const metadata = new grpc.Metadata();
    metadata.set(CLUSTER_KEY, this.clusterId);
    cb({ code: grpc.status.FAILED_PRECONDITION, details: `refused: ${r.refused}`, metadata });
    if (r.foreign !== undefined) this.opts.handlers.clusterMismatch?.(r.foreign.from, r.foreign.theirs);
  }

  private acceptStream(call: grpc.ServerReadableStream<RaftMessage__Output, StreamSummary>, cb: grpc.sendUnaryData<StreamSummary>): void {
    const who = this.sender(call);
    if ('refused' in who) {
      this.refuse(cb, who);
      return;
    }
    const from = who.from;
    let received = 0;
    call.on('data', (w: RaftMessage__Output) => {
      received++;
      this.snapshotFailures.heardFrom(from);
      // It is up: the next reconnect to it starts from the shortest back-off again (once per
      // stream it opened, not on every message).
      if (received === 1) this.peers.get(from)?.backoff.reset();
      try {
        if (w.type === 'PROPOSE') {
          if (w.to === this.opts.self) this.opts.handlers.onProposals(from, w.entries.map((e) => e.data));
          return;
        }
        if (w.type === 'PROPOSE_REJECT') {
          if (w.to === this.opts.self) this.opts.handlers.onProposalsRefused(from, w.entries.map((e) => e.data), w.leaderHint);
          return;
        }
        if (w.type === 'PROPOSE_ACCEPT') {
          if (w.to !== this.opts.self) return;
          if (!Number.isSafeInteger(w.index) || !Number.isSafeInteger(w.logTerm) || w.index < 1 || w.index + w.entries.length > Number.MAX_SAFE_INTEGER) {
            noteDropped(this.opts.logger, 'raft_peer', 'bad_accept', `a PROPOSE_ACCEPT from ${from} at an impossible position`, { from });
            return;
          }
          this.opts.handlers.onProposalsAccepted(from, w.entries.map((e) => e.data), w.index, w.logTerm);
          return;
        }
        const m = fromWire(w);
        if (m.from !== from || m.to !== this.opts.self) return; // spoofed or misrouted: ignore
        this.opts.handlers.onMessage(m);
      } catch (err) {
        this.opts.logger.warn('raft transport: bad message dropped', { from, error: String(err) });
      }
    });
    call.on('end', () => cb(null, { received }));
    call.on('error', () => {});
  }

  private acceptSnapshot(call: grpc.ServerReadableStream<SnapshotChunk__Output, SnapshotReceipt>, cb: grpc.sendUnaryData<SnapshotReceipt>): void {
    const who = this.sender(call);
    if ('refused' in who) {
      this.refuse(cb, who);
      return;
    }
    const from = who.from;
    const iterator = call[Symbol.asyncIterator]() as AsyncIterator<SnapshotChunk__Output>;
    void (async () => {
      const first = await iterator.next();
      if (first.done === true) throw new RosterError('BAD_SNAPSHOT', 'empty snapshot stream');
      const h = first.value;
      if (h.conf === null) throw new RosterError('BAD_SNAPSHOT', 'snapshot without membership');
      const meta: SnapshotMeta = { index: h.index, term: h.snapshotTerm, conf: { voters: h.conf.voters.map(nodeId), learners: h.conf.learners.map(nodeId) } };
      let bytes = 0;
      async function* data(): AsyncIterable<Uint8Array> {
        bytes += h.data.length;
        if (h.data.length > 0) yield h.data;
        for (let next = await iterator.next(); next.done !== true; next = await iterator.next()) {
          bytes += next.value.data.length;
          yield next.value.data;
        }
      }
      await this.opts.handlers.onSnapshot({ from, term: h.term, meta }, data());
      return bytes;
    })().then(
      (bytes) => cb(null, { bytes }),
      (err: unknown) => cb({ code: grpc.status.ABORTED, details: `snapshot not installed: ${String(err)}` }),
    );
  }

  private acceptForward(call: grpc.ServerUnaryCall<ForwardRequest__Output, ForwardResponse>, cb: grpc.sendUnaryData<ForwardResponse>): void {
    const who = this.sender(call);
    if ('refused' in who) {
      this.refuse(cb, who);
      return;
    }
    this.opts.handlers.onForward(call.request.method, call.request.payload, deadlineFromGrpc(call.getDeadline())).then(
      (payload) => cb(null, { payload }),
      (err: unknown) => cb(err as grpc.ServiceError),
    );
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
