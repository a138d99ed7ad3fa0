import type { ConfChange, RaftStatus } from '../raft/index.js';
import type { AclCommand, AclResponse } from '../store/acl/commands.js';
import type { Authorizer } from '../store/acl/authorizer.js';
import type { MemberAddresses } from '../store/cluster/members-store.js';
import type { KvCommand, KvCommandResponse } from '../store/kv/command.js';
import type { MvccStore } from '../store/kv/mvcc-store.js';
import type { RegistryCommand, RegistryResponse } from '../store/registry/commands.js';
import type { Stored } from '../store/registry/record-io.js';
import type { HealthStatus, SessionRecord } from '../store/registry/records.js';
import type { NodeId } from '../util/ids.js';
import type { Deadline } from '../time/deadline.js';

// What the public API needs of the server it runs on, one interface per capability: each service
// takes only the ones it uses, and the server (src/server/server-node.ts) implements them all.

/** Who answers: response headers and freshness reports name the server and its cluster. */
export interface ServedBy {
  readonly identity: { readonly name: NodeId; readonly clusterId: string };
  readonly memberId: string;
}

/** The leader as this server knows it. */
export interface Leadership {
  term(): number;
  isLeader(): boolean;
  leader(): NodeId;
  /** Milliseconds since this server last heard from the leader (0 on the leader itself). */
  msSinceLeaderContact(): number;
}

/** This server's own state, and the barrier that makes reading it linearizable. */
export interface Reads {
  readonly mvcc: Pick<MvccStore<never, never>, 'range' | 'readTxn' | 'read' | 'revision' | 'compactRevision' | 'lease' | 'leases' | 'allEvents' | 'valueAt'>;
  /** Waits until a read here would be linearizable (ReadIndex). */
  readBarrier(deadline: Deadline): Promise<void>;
  appliedIndex(): number;
}

/** The cue the watch hub follows. */
export interface AppliedFeed {
  /** Calls `listener` after every applied batch (and snapshot install). */
  onApplied(listener: () => void): void;
}

/** Writes through Raft, from any server (a follower hands them to its leader), answered with this server's result. */
export interface Proposals {
  proposeKv(cmd: KvCommand, deadline: Deadline): Promise<KvCommandResponse | undefined>;
  proposeRegistry(cmd: RegistryCommand, deadline: Deadline): Promise<RegistryResponse>;
  proposeAcl(cmd: AclCommand, deadline: Deadline): Promise<AclResponse>;
}

/** Who the caller is: its token resolved from this server's replicated ACL state, no round trip. */
export interface AccessControl {
  readonly access: {
    /** Whether ACLs are enforced on this server (--acl-enabled, or etcd's AuthEnable); exact after ready(). */
    readonly enabled: boolean;
    /** What no rule decides (--acl-default-policy; deny when only etcd's auth turned ACLs on). */
    readonly defaultPolicy: 'allow' | 'deny';
    /** Resolves once `enabled` reflects this server's applied state. */
    ready(): Promise<void>;
    /** The authorizer of the token with `secret` ('' : anonymous); ACL_NOT_FOUND (UNAUTHENTICATED) for no live token. */
    authorize(secret: string): Promise<Authorizer>;
    /** Calls `listener` after ACL state changed here (a command applied, a snapshot installed). */
    onChange(listener: () => void): void;
  };
}

/** Leases: keep-alives and remaining time (the leader's deadlines, not replicated). */
export interface Leases {
  readonly leaseRuntime: {
    renew(ids: readonly bigint[], deadline: Deadline): Promise<number[]>;
    remainingMs(id: bigint, deadline: Deadline): Promise<number | undefined>;
  };
  /** etcd raises a granted TTL to at least this (it must outlive a leader election). */
  readonly minLeaseTtlSeconds: number;
}

/** The registry's leader-side clocks: TTL check renewals, session renewals, lock delays (leader only). */
export interface RegistryClocks {
  readonly registryRuntime: {
    updateTtl(node: string, checkId: string, status: HealthStatus, output: string, deadline: Deadline): Promise<{ revision: number; ttlMs: number }>;
    renewSession(id: string, deadline: Deadline): Promise<Stored<SessionRecord>>;
    lockDelayLeftMs(kvKey: Uint8Array): number;
  };
}

/** Raft membership: the members, their addresses and Raft state, and changes to them. */
export interface Membership {
  status(): RaftStatus;
  memberAddresses(): MemberAddresses[];
  peerAddrOf(id: NodeId): string | undefined;
  clientAddrOf(id: NodeId): string | undefined;
  /** Proposes a membership change (on the leader) and resolves once it is applied here. */
  proposeConfChange(cc: ConfChange, deadline: Deadline): Promise<void>;
  transferLeadership(to: NodeId): void;
  /** Every member with its Raft state (complete on the leader). */
  raftPeers(): readonly RaftPeerRow[];
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

/** The one hop to the leader over the peer port, for a call only the leader can answer. */
export interface LeaderHop {
  forwardToLeader(method: string, payload: Uint8Array, deadline: Deadline | undefined): Promise<Uint8Array>;
}

/** A consistent image of the whole state (the operator's Snapshot). */
export interface StateImages {
  /** Writes a consistent image of the state to a snapshot file at `path`. */
  writeStateImage(path: string): Promise<unknown>;
}

/** The server's settings the API serves by. */
export interface ApiSettings {
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
}

/**
 * The gossip keyring of the pool a server gossips in (roster keyring): an operation carried out
 * on every alive member, with each one's answer. `key` is base64 as the operator gave it; the
 * implementation checks it. Fingerprints only come back, never a key.
 */
export type PoolKeyring = (operation: 'install' | 'use' | 'remove' | 'list', key: string) => Promise<PoolKeyringOutcome>;

/** Serf's force-leave of a failed member, on this server's gossip (GossipAgent.forceLeave). */
export type PoolForceLeave = (name: string) => 'left' | 'alive' | 'unknown';

export interface PoolKeyringOutcome {
  readonly members: number;
  readonly answered: number;
  readonly answers: readonly { readonly name: string; readonly ok: boolean; readonly error: string; readonly fingerprints: readonly string[]; readonly primary: string }[];
  readonly keys: readonly { readonly fingerprint: string; readonly installed: number; readonly primary: number }[];
  /** The fingerprint of the key the operation named ('' for list). */
  readonly fingerprint: string;
}

/** Everything the API server hands out to its services. */
export type ApiBackend = AccessControl & ServedBy & Leadership & Reads & AppliedFeed & Proposals & Leases & RegistryClocks & Membership & LeaderHop & StateImages & ApiSettings;
