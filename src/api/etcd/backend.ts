import type { ConfChange, RaftStatus } from '../../raft/index.js';
import type { MemberAddresses } from '../../store/cluster/members-store.js';
import type { KvCommand, KvCommandResponse } from '../../store/kv/command.js';
import type { MvccStore } from '../../store/kv/mvcc-store.js';
import type { RegistryCommand, RegistryResponse } from '../../store/registry/commands.js';
import type { Stored } from '../../store/registry/record-io.js';
import type { HealthStatus, SessionRecord } from '../../store/registry/records.js';
import type { NodeId } from '../../util/ids.js';
import type { Deadline } from '../../time/deadline.js';

/** What the public API (etcd's and the registry's) needs from the server it runs on (the agent passes its ServerNode). */
export interface EtcdBackend {
  readonly identity: { readonly name: NodeId; readonly clusterId: string };
  readonly memberId: string;
  readonly mvcc: Pick<MvccStore<never, never>, 'range' | 'readTxn' | 'read' | 'revision' | 'compactRevision' | 'lease' | 'leases' | 'allEvents' | 'valueAt'>;
  /** Calls `listener` after every applied batch (and snapshot install): the watch hub's cue. */
  onApplied(listener: () => void): void;
  /** Leases: keep-alives and remaining time (the leader's deadlines). */
  readonly leaseRuntime: {
    renew(ids: readonly bigint[], deadline: Deadline): Promise<number[]>;
    remainingMs(id: bigint, deadline: Deadline): Promise<number | undefined>;
  };
  /** etcd raises a granted TTL to at least this (it must outlive a leader election). */
  readonly minLeaseTtlSeconds: number;
  readonly cfg: {
    readonly defaultRequestTimeoutMs: number;
    readonly dataDir: string;
    readonly electionTicks: number;
    readonly tickMs: number;
    readonly maxResponseBytes: number;
    readonly maxWatchesPerStream: number;
    readonly maxStreamsPerConnection: number;
    readonly idleConnectionMs: number;
  };
  term(): number;
  isLeader(): boolean;
  leader(): NodeId;
  appliedIndex(): number;
  msSinceLeaderContact(): number;
  status(): RaftStatus;
  memberAddresses(): MemberAddresses[];
  peerAddrOf(id: NodeId): string | undefined;
  clientAddrOf(id: NodeId): string | undefined;
  proposeKv(cmd: KvCommand, deadline: Deadline): Promise<KvCommandResponse | undefined>;
  proposeRegistry(cmd: RegistryCommand, deadline: Deadline): Promise<RegistryResponse>;
  /** The registry's leader-side clocks: TTL check renewals (leader only). */
  readonly registryRuntime: {
    updateTtl(node: string, checkId: string, status: HealthStatus, output: string, deadline: Deadline): Promise<{ revision: number; ttlMs: number }>;
    renewSession(id: string, deadline: Deadline): Promise<Stored<SessionRecord>>;
    lockDelayLeftMs(kvKey: Uint8Array): number;
  };
  readBarrier(deadline: Deadline): Promise<void>;
  proposeConfChange(cc: ConfChange, deadline: Deadline): Promise<void>;
  transferLeadership(to: NodeId): void;
  forwardToLeader(method: string, payload: Uint8Array, deadline: Deadline | undefined): Promise<Uint8Array>;
  /** Every member with its Raft state (complete on the leader). */
  raftPeers(): readonly RaftPeerRow[];
  /** Writes a consistent image of the state to a snapshot file at `path`. */
  writeStateImage(path: string): Promise<unknown>;
}

/** One member, for the Operator service's RaftPeers. */
export interface RaftPeerRow {
  readonly name: string;
  readonly memberId: string;
  readonly peerAddr: string;
  readonly clientAddr: string;
  readonly membership: string;
  readonly leader: boolean;
  readonly matchIndex: number;
  readonly lastContactMs: number;
  readonly replication: string;
  /** InstallSnapshot failures to it in a row, the last one's error and how long ago (-1: none). */
  readonly snapshotFailures: number;
  readonly lastSnapshotError: string;
  readonly lastSnapshotFailureMs: number;
}
