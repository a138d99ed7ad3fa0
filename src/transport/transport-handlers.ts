import type { Message, SnapshotMeta } from '../raft/index.js';
import type { NodeId } from '../util/ids.js';
import type { Deadline } from '../time/deadline.js';

/** What the Raft transport delivers to, and asks of, the server it serves. */
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
