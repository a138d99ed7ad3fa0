import * as grpc from '@grpc/grpc-js';
import type { SnapshotChunk } from '../gen/roster/roster/raft/v1/SnapshotChunk.js';
import type { SnapshotMeta } from '../raft/index.js';
import type { Clock } from '../util/clock.js';
import { noteDropped } from '../util/dropped.js';
import type { NodeId } from '../util/ids.js';
import type { Logger } from '../util/logger.js';
import type { ClusterIdentity } from './cluster-identity.js';
import type { Peer, PeerStreams } from './peer-streams.js';
import { SnapshotFailures, type SnapshotFailureStatus, type SnapshotFailuresOptions } from './snapshot-failures.js';
import type { TransportHandlers } from './transport-handlers.js';

/** 0.5 s after the first failed snapshot to a peer, doubling to 30 s; one warning per 10 s. */
export const SNAPSHOT_BACKOFF = { firstMs: 500, maxMs: 30_000, warnEveryMs: 10_000 } as const;

const SNAPSHOT_CHUNK_BYTES = 256 * 1024;

export interface SnapshotSenderOptions {
  readonly self: NodeId;
  readonly peers: PeerStreams;
  readonly identity: ClusterIdentity;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly handlers: Pick<TransportHandlers, 'snapshotData' | 'reportSnapshot' | 'snapshotFailed' | 'clusterMismatch'>;
  /** Back-off after failed snapshots (defaults: SNAPSHOT_BACKOFF, the clock, Math.random). */
  readonly backoff?: Partial<SnapshotFailuresOptions>;
}

/**
 * InstallSnapshot from the leader: the prepared snapshot streamed to one peer in 256 KiB chunks,
 * one transfer per peer at a time, with a back-off per peer after failures. The core always
 * hears the outcome.
 */
export class SnapshotSender {
  private readonly failures: SnapshotFailures;

  constructor(private readonly o: SnapshotSenderOptions) {
    const clock = o.clock;
    this.failures = new SnapshotFailures({ ...SNAPSHOT_BACKOFF, now: () => clock.now(), random: () => Math.random(), ...o.backoff });
  }

  /** `id` sent us something: it is up, so its snapshot back-off need not hold it off. */
  heardFrom(id: NodeId): void {
    this.failures.heardFrom(id);
  }

  send(to: NodeId, term: number, meta: SnapshotMeta): void {
    const peer = this.o.peers.peer(to);
    // Refused at once while one is under way or the peer's back-off runs: the core falls back
    // to probing and asks again after the follower's next answer, which costs a message only.
    if (peer === undefined || peer.snapshotInFlight || this.failures.waiting(to)) {
      this.o.handlers.reportSnapshot(to, false);
      return;
    }
    peer.snapshotInFlight = true;
    const progress = { chunks: 0 };
    void this.stream(peer, term, meta, progress)
      .then(
        () => undefined,
        (err: unknown) => err ?? new Error('snapshot send failed'),
      )
      .then((err) => {
        peer.snapshotInFlight = false;
        // The core hears the outcome whatever happens here: without it, the peer would stay
        // in snapshot state for good.
        try {
          if (err === undefined) this.sent(to, meta);
          else this.sendFailed(to, meta, err, progress.chunks === 0);
        } finally {
          this.o.handlers.reportSnapshot(to, err === undefined);
        }
      })
      .catch((err: unknown) => noteDropped(this.o.logger, 'raft_snapshot_send', 'handler_exception', err, { peer: to }));
  }

  /** The InstallSnapshot failures to `id` since its last success, if any (for operators). */
  status(id: NodeId): SnapshotFailureStatus | undefined {
    return this.failures.status(id);
  }

  /** Milliseconds since the last failed InstallSnapshot to `id`, -1 if none since its last success. */
  msSinceFailure(id: NodeId): number {
    const f = this.failures.status(id);
    return f === undefined ? -1 : Math.max(0, this.o.clock.now() - f.lastAt);
  }

  private sent(to: NodeId, meta: SnapshotMeta): void {
    this.failures.succeeded(to);
    this.o.logger.info('raft transport: snapshot sent', { peer: to, index: meta.index });
  }

  /** `nothingSent`: the peer was never reached (no chunk written), not a transfer that broke. */
  private sendFailed(to: NodeId, meta: SnapshotMeta, err: unknown, nothingSent: boolean): void {
    const error = err instanceof Error ? err.message : String(err);
    const theirs = this.o.identity.foreignClusterOf(err);
    if (theirs !== undefined) this.o.handlers.clusterMismatch?.(to, theirs);
    const unreachable = nothingSent && (err as { code?: unknown }).code === grpc.status.UNAVAILABLE;
    const v = this.failures.failed(to, error, unreachable);
    const fields = { peer: to, index: meta.index, failures: v.failures, retryInMs: v.retryInMs, error, ...(v.unreported > 0 ? { notLoggedSinceLastWarning: v.unreported } : {}) };
    if (v.warn) this.o.logger.warn('raft transport: InstallSnapshot failed; backing off', fields);
    else this.o.logger.debug('raft transport: InstallSnapshot failed; backing off', fields);
    this.o.handlers.snapshotFailed(to, error);
  }

  private async stream(peer: Peer, term: number, meta: SnapshotMeta, progress: { chunks: number }): Promise<void> {
    let call!: grpc.ClientWritableStream<SnapshotChunk>;
    let failure: Error | undefined;
    const done = new Promise<void>((resolve, reject) => {
      call = peer.client.InstallSnapshot(this.o.identity.metadata, (err) => (err ? reject(err) : resolve()));
    });
    // The call may fail at any moment (the follower died): remember it, never leave it unhandled.
    const ended = done.then(
      () => undefined,
      (err: Error) => {
        failure = err;
      },
    );
    const head = { from: this.o.self, to: peer.id, term, index: meta.index, snapshotTerm: meta.term, conf: { voters: [...meta.conf.voters], learners: [...meta.conf.learners] } };
    let first = true;
    let pending: Uint8Array = new Uint8Array(0);
    const writeChunk = async (data: Uint8Array): Promise<void> => {
      if (failure !== undefined) throw failure;
      const chunk = first ? { ...head, data } : { data };
      first = false;
      // Counted once the chunk reached the connection (grpc-js calls back then), not when queued.
      if (!call.write(chunk, () => progress.chunks++)) await Promise.race([new Promise<void>((resolve) => call.once('drain', resolve)), ended]);
      // The stream's error handler may have set it during the wait; TypeScript still narrows it to never.
      // eslint-disable-next-line @typescript-eslint/only-throw-error
      if (failure !== undefined) throw failure;
    };
    try {
      for await (const piece of this.o.handlers.snapshotData(meta)) {
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
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
