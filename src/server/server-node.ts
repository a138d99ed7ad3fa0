import { randomInt } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { RaftNode, type ConfChange, type RaftStatus, type SnapshotMeta, type SoftState } from '../raft/index.js';
import type { MemberAddresses, MembersStore } from '../store/cluster/members-store.js';
import type { KvCommand, KvCommandResponse } from '../store/kv/command.js';
import { snapshotFileBytes } from '../store/leveldb/snapshot-file.js';
import type { LevelRaftStorage } from '../store/leveldb/level-raft-storage.js';
import type { StateDb } from '../store/leveldb/state-db.js';
import type { RegistryCommand, RegistryResponse } from '../store/registry/commands.js';
import type { StateResponse } from '../store/state-command.js';
import type { AclCommand, AclResponse } from '../store/acl/commands.js';
import type { AccessControl, AppliedFeed, Leadership, LeaderHop, Leases, Membership, Proposals, Reads, RegistryClocks, ServedBy, StateImages, ApiSettings } from '../api/server-interfaces.js';
import { RaftTransport } from '../transport/raft-transport.js';
import { monotonicClock } from '../time/monotonic-clock.js';
import { deadlineIn, type Deadline } from '../time/deadline.js';
import { RosterError } from '../util/errors.js';
import { NO_NODE, nodeId, type NodeId } from '../util/ids.js';
import { everyServerHas, type Feature } from './features.js';
import { VERSION } from '../util/version.js';
import { seededRng } from '../util/rng.js';
import { AccessRuntime } from './access-runtime.js';
import { AclReaper, anyTokenExpired } from './acl-reaper.js';
import type { AddressBook } from './address-book.js';
import { Applier, diskSnapshotFiles, type StateStore } from './applier.js';
import { AttributePublisher } from './attribute-publisher.js';
import { foundingClusterId } from './cluster-token.js';
import { ForeignPeers, saidAdvisedStop } from './foreign-peers.js';
import { memberIdOf, openIdentity, writeIdentity, type ServerIdentity } from './identity.js';
import { LeaseRuntime } from './lease-runtime.js';
import { PeerCalls, type ForwardedCallHandler } from './peer-calls.js';
import { Proposer } from './proposer.js';
import { WriteStages } from './write-stages.js';
import { RaftDriver } from './raft-driver.js';
import { raftPeerInfos, type RaftPeerInfo } from './raft-peer-info.js';
import { ReadBarrier } from './read-barrier.js';
import { RegistryRuntime } from './registry-runtime.js';
import { RequestTracker } from './request-tracker.js';
import type { ServerConfig } from './server-config.js';
import { openServerDisk, type ServerDisk } from './server-disk.js';
import type { ServerObserver } from './server-observer.js';
import { receiveSnapshot } from './snapshot-receiver.js';
import { WriteForwarder } from './write-forwarder.js';

const monotonic = monotonicClock;

/**
 * One Roster server: Raft over gRPC, the log and the state in LevelDB, and what the public API
 * needs of it (the interfaces of src/api/server-interfaces.ts). Its parts are built in order in
 * the constructor; the callbacks between them (the transport hands messages to the driver, which
 * sends through the transport) run only once `start` has started them.
 */
export class ServerNode implements AccessControl, ServedBy, Leadership, Reads, AppliedFeed, Proposals, Leases, RegistryClocks, Membership, LeaderHop, StateImages, ApiSettings {
  /** Told of every persisted Ready and leader change (metrics); set after start. */
  observer: ServerObserver | undefined;
  /** Where the time of each write proposed here goes, told to the observer (write-stages.ts). */
  private readonly stages = new WriteStages(() => performance.now(), (stage, ms) => this.observer?.writeStage(stage, ms));
  /** Set while gossip shows a mass failure (self-preservation.ts): the leader removes nothing for it. */
  preserving = false;
  /** Set while every server announces a version that applies keepSessions (features.ts). */
  canKeepSessions = false;
  /** Another server's version, as it announces it in gossip (undefined: unknown, or no gossip); set by run-server. */
  versionOf: (name: NodeId) => string | undefined = () => undefined;

  /** Whether every member of the Raft configuration runs a version with `feature` (this one's own is known). */
  serversHave(feature: Feature): boolean {
    const conf = this.node.status().conf;
    const self = this.identity.name;
    return everyServerHas(feature, [...conf.voters, ...conf.learners], (n) => (n === self ? VERSION : this.versionOf(nodeId(n))));
  }
  identity: ServerIdentity; // replaced once, when a joiner without a cluster id adopts its cluster's
  readonly memberId: string;
  readonly leaseRuntime: LeaseRuntime;
  readonly registryRuntime: RegistryRuntime;
  readonly access: AccessRuntime;
  private readonly aclReaper: AclReaper;
  private readonly foreignPeers = new ForeignPeers((err) => this.fatal(err));
  private readonly storage: LevelRaftStorage;
  private readonly state: StateDb;
  private readonly members: MembersStore;
  private readonly addresses: AddressBook;
  private readonly node: RaftNode;
  private readonly requests = new RequestTracker<StateResponse | undefined>();
  private readonly barrier: ReadBarrier;
  private readonly applier: Applier;
  private readonly transport: RaftTransport;
  private readonly driver: RaftDriver;
  private readonly forwarder: WriteForwarder<StateResponse | undefined>;
  private readonly proposer: Proposer;
  private readonly peerCalls: PeerCalls;
  private readonly publisher: AttributePublisher;
  private readonly appliedListeners: (() => void)[] = [];
  private knownLeader: NodeId = NO_NODE;
  private stopped = false;
  /** Stopping: new writes are refused (SHUTTING_DOWN), those in flight may still finish. */
  private draining = false;

  static async start(cfg: ServerConfig, onFatal: (err: unknown) => void): Promise<ServerNode> {
    await mkdir(cfg.dataDir, { recursive: true });
    const identity = await openIdentity(cfg.dataDir, cfg.name, () => ({
      name: cfg.name,
      clusterId: cfg.clusterId ?? foundingClusterId({ self: cfg.name, initialCluster: cfg.initialCluster, state: cfg.initialClusterState, token: undefined }),
      initialCluster: cfg.initialCluster,
    }));
    // Sessions end only as commands apply, which starts after `server` exists.
    const disk = await openServerDisk(cfg, identity, (ended) => server.registryRuntime.sessionsEnded(ended));
    const server = new ServerNode(cfg, identity, disk, onFatal);
    await server.startParts();
    return server;
  }

  private constructor(
    readonly cfg: ServerConfig,
    identity: ServerIdentity,
    disk: ServerDisk,
    private readonly onFatal: (err: unknown) => void,
  ) {
    this.identity = identity;
    this.memberId = memberIdOf(identity.name);
    const electionMs = cfg.electionTicks * cfg.tickMs;
    this.storage = disk.storage;
    this.state = disk.state;
    this.members = disk.members;
    this.addresses = disk.addresses;
    this.node = new RaftNode({
      id: identity.name,
      storage: this.storage,
      rng: seededRng(randomInt(2 ** 31)),
      electionTick: cfg.electionTicks,
      heartbeatTick: cfg.heartbeatTicks,
      applied: disk.mvcc.appliedIndex(),
      logger: cfg.logger,
    });
    // A read no leader confirms within the longest election timeout is refused (the client
    // retries), instead of being held to the client's deadline.
    this.barrier = new ReadBarrier(2 * electionMs, { ask: (id) => this.askReadIndex(id), unconfirmed: () => this.readUnconfirmed() });
    this.access = new AccessRuntime(cfg.aclEnabled, cfg.aclDefaultPolicy, () => this.applier.mvcc, Date.now, () => this.readBarrier(deadlineIn(2 * electionMs)));
    this.aclReaper = new AclReaper({ anyExpired: (now) => anyTokenExpired(this.applier.mvcc, now), propose: (cmd, deadline) => this.proposer.proposeAcl(cmd, deadline), logger: cfg.logger, everyMs: 60_000 });
    this.applier = new Applier(
      {
        state: this.state,
        members: this.members,
        storage: this.storage,
        node: this.node,
        driver: () => this.driver,
        requests: this.requests,
        barrier: this.barrier,
        snapDir: disk.snapDir,
        snapshotFiles: diskSnapshotFiles,
        clock: monotonic,
        clusterId: () => this.identity.clusterId,
        snapshotEvery: cfg.snapshotEvery,
        keepTail: cfg.snapshotKeepTail,
        logger: cfg.logger,
        fatal: (err) => this.fatal(err),
        onApplied: (cmd, res) => {
          this.leaseRuntime.applied(cmd, res);
          this.registryRuntime.applied(cmd, res);
          this.access.applied(cmd);
        },
        onBatch: () => {
          this.stages.applied(this.applier.appliedIndex());
          for (const l of this.appliedListeners) l();
        },
        onSnapshotRefused: (purpose) => this.observer?.snapshotRefused(purpose),
      },
      disk.mvcc,
      disk.openStore,
    );
    this.transport = new RaftTransport({
      security: cfg.peerSecurity ?? { mode: 'insecure' },
      self: identity.name,
      clusterId: identity.clusterId,
      listen: cfg.peerAddr,
      addressOf: (id) => this.addresses.peerAddr(id),
      logger: cfg.logger,
      handlers: {
        onMessage: (m) => this.driver.step(m),
        onSnapshot: (head, data) =>
          receiveSnapshot(head, data, {
            self: () => this.identity.name,
            clusterId: () => this.identity.clusterId,
            snapDir: disk.snapDir,
            received: this.applier.received,
            step: (m) => this.driver.step(m),
            logger: cfg.logger,
          }),
        onForward: (method, payload, deadline) => this.peerCalls.served(method, payload, deadline),
        onProposals: (from, data) => this.forwarder.received(from, data),
        onProposalsAccepted: (from, ids, index, term) => this.forwarder.accepted(from, ids, index, term),
        onProposalsRefused: (_from, ids, hint) => this.forwarder.refused(ids, hint),
        snapshotData: (meta) => {
          const path = this.applier.prepared.get(meta.index);
          if (path === undefined) throw new RosterError('BAD_SNAPSHOT', `no prepared snapshot at ${meta.index}`);
          return snapshotFileBytes(path);
        },
        reportUnreachable: (id) => {
          this.node.reportUnreachable(id);
          this.forwarder.connectionLost(id);
        },
        reportSnapshot: (id, ok) => {
          this.node.reportSnapshot(id, ok);
          this.driver.kick();
        },
        snapshotFailed: (id) => this.observer?.snapshotFailed(id),
        clusterMismatch: (peer, theirs) => this.stopped || this.foreignPeers.record(peer, theirs, this.node.status().conf.voters, this.identity),
        // A joiner's first contact: its cluster's id, kept in IDENTITY.json from now on.
        clusterAdopted: (clusterId) => void writeIdentity(cfg.dataDir, (this.identity = { ...this.identity, clusterId })).catch((err: unknown) => this.fatal(err)),
      },
    });
    this.driver = new RaftDriver({
      node: this.node,
      storage: this.storage,
      send: (msgs) => this.transport.send(msgs),
      apply: { enqueue: (e) => this.applier.enqueue(e), installSnapshot: (m) => this.applier.installSnapshot(m) },
      onReadStates: (rs) => this.barrier.confirmed(rs),
      onSoftState: (s) => this.onSoftState(s),
      onAppended: (e) => this.addresses.learn(e),
      onPersisted: (ms, synced) => this.observer?.persisted(ms, synced),
      stages: this.stages,
      fatal: (err) => this.fatal(err),
      onDiskFault: (op, code) => this.observer?.diskFault(op, code),
      clock: monotonic,
      tickMs: cfg.tickMs,
      logger: cfg.logger,
    });
    this.forwarder = new WriteForwarder<StateResponse | undefined>(
      {
        self: () => this.identity.name,
        logger: () => this.cfg.logger,
        requests: this.requests,
        leader: () => this.node.leader,
        proposeAsLeader: (entries) => {
          if (!this.isLeader() || this.driver.diskFault !== undefined) return undefined;
          const res = this.node.propose(entries);
          if (res.ok) this.stages.proposed(res.index, res.lastIndex);
          return res;
        },
        sendProposals: (to, data) => this.transport.sendProposals(to, data),
        refuseProposals: (to, ids, hint) => this.transport.refuseProposals(to, ids, hint),
        acceptProposals: (to, ids, index, term) => this.transport.acceptProposals(to, ids, index, term),
        clientAddrOf: (id) => this.clientAddrOf(id),
        kick: () => this.driver.kick(),
      },
      2 * electionMs,
    );
    this.proposer = new Proposer({ node: this.node, requests: this.requests, forwarder: this.forwarder, kick: () => this.driver.kick(), refusal: () => this.refusal(), implicitNodes: () => this.serversHave('implicitNodes'), proposed: (first, last) => this.stages.proposed(first, last) });
    this.peerCalls = new PeerCalls({
      self: () => this.identity.name,
      leader: () => this.node.leader,
      send: (to, method, payload, deadline) => this.transport.forward(to, method, payload, deadline),
      keepAlive: (payload, deadline) => this.leaseRuntime.onForwarded(payload, deadline),
      proposeEntry: (data, deadline) => this.proposer.proposeEntry(data, deadline),
      defaultRequestTimeoutMs: cfg.defaultRequestTimeoutMs,
    });
    this.leaseRuntime = new LeaseRuntime({
      now: () => monotonic.now(),
      // Elections time out between 1x and 2x electionTicks: extend by the longest.
      extendMs: 2 * electionMs,
      checkEveryMs: 250,
      revokesPerCheck: 250,
      isLeader: () => this.isLeader(),
      caughtUp: (deadline) => this.readBarrier(deadline),
      appliedCommitted: (deadline) => this.barrier.waitApplied(this.node.commitIndex, deadline),
      leases: () => this.mvcc.leases(),
      propose: (cmd, deadline) => this.proposer.proposeKv(cmd, deadline),
      forwardToLeader: (method, payload, deadline) => this.forwardToLeader(method, payload, deadline),
      logger: cfg.logger,
    });
    this.registryRuntime = new RegistryRuntime({
      now: () => monotonic.now(),
      extendMs: 2 * electionMs,
      checkEveryMs: 250,
      isLeader: () => this.isLeader(),
      caughtUp: (deadline) => this.readBarrier(deadline),
      appliedCommitted: (deadline) => this.barrier.waitApplied(this.node.commitIndex, deadline),
      read: (fn) => this.mvcc.read((v) => fn(v.kv)),
      propose: (cmd, deadline) => this.proposer.proposeRegistry(cmd, deadline),
      preserving: () => this.preserving,
      canKeepSessions: () => this.canKeepSessions,
      logger: cfg.logger,
    });
    this.publisher = new AttributePublisher({
      self: () => this.identity.name,
      clientAddr: cfg.clientAddr,
      member: (name) => this.members.get(name),
      leader: () => this.node.leader,
      isLeader: () => this.isLeader(),
      proposeEntry: (data, deadline) => this.proposer.proposeEntry(data, deadline),
      forwardToLeader: (method, payload, deadline) => this.forwardToLeader(method, payload, deadline),
      logger: cfg.logger,
    });
  }

  private async startParts(): Promise<void> {
    this.barrier.appliedTo(this.applier.appliedIndex());
    this.storage.onSnapshotNeeded = () => this.applier.wantSnapshot();
    await this.transport.start();
    this.driver.start();
    this.leaseRuntime.start();
    this.registryRuntime.start();
    if (this.cfg.aclEnabled) this.aclReaper.start();
    this.publisher.start();
  }

  /** etcd's minimum lease TTL: 1.5 election timeouts, in whole seconds. */
  get minLeaseTtlSeconds(): number {
    return Math.max(1, Math.ceil((3 * this.cfg.electionTicks * this.cfg.tickMs) / 2 / 1000));
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.publisher.stop();
    this.leaseRuntime.stop();
    this.registryRuntime.stop();
    this.aclReaper.stop();
    this.driver.stop();
    const closed = new RosterError('UNAVAILABLE', 'etcdserver: server stopped');
    this.requests.failAll(closed);
    this.barrier.failAll(closed);
    await this.transport.stop();
    await this.storage.close();
    await this.state.close();
  }

  /** Before stopping: refuse new writes, and give those in flight up to `maxMs` to finish. */
  async drain(maxMs: number): Promise<void> {
    this.draining = true;
    const until = monotonicClock.now() + maxMs;
    while (this.requests.size > 0 && monotonicClock.now() < until) await new Promise((r) => setTimeout(r, 20));
  }

  /** Client calls forwarded here by other servers run through `handler` (the API's). */
  serveForwardedCalls(handler: ForwardedCallHandler): void {
    this.peerCalls.handler = handler;
  }

  /** Why a new write is refused before it is proposed (a client may send it to another server). */
  private refusal(): RosterError | undefined {
    if (this.stopped || this.draining) return new RosterError('SHUTTING_DOWN', `etcdserver: server ${this.identity.name} is stopping`, { leader: this.node.leader });
    return this.driver.diskFaultRefusal(this.node.leader);
  }

  private fatal(err: unknown): void {
    if (saidAdvisedStop(err, this.cfg.logger)) return this.onFatal(err);
    this.cfg.logger.error('fatal storage or state error: stopping', { error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    this.onFatal(err);
  }

  private onSoftState(s: SoftState): void {
    this.cfg.logger.info('raft role changed', { role: s.role, leader: s.leader || '-', term: this.node.term });
    this.leaseRuntime.roleChanged(s.role === 'leader');
    this.registryRuntime.roleChanged(s.role === 'leader');
    this.aclReaper.roleChanged(s.role === 'leader');
    if (s.leader !== this.knownLeader) {
      this.knownLeader = s.leader;
      this.observer?.leaderChanged();
      this.stages.forget();
      this.forwarder.leaderChanged(s.leader);
      // Reads asked of the old leader would never be confirmed: they are asked of this one.
      this.barrier.leaderChanged();
    }
    if (s.leader !== NO_NODE) this.publisher.leaderKnown();
  }

  // ---- what the API uses ----

  onApplied(listener: () => void): void {
    this.appliedListeners.push(listener);
  }

  get mvcc(): StateStore {
    return this.applier.mvcc;
  }

  status(): RaftStatus {
    return this.node.status();
  }

  isLeader(): boolean {
    return this.node.role === 'leader';
  }

  leader(): NodeId {
    return this.node.leader;
  }

  term(): number {
    return this.node.term;
  }

  appliedIndex(): number {
    return this.applier.appliedIndex();
  }

  /** The highest commit index this server knows of: its own, or what the leader last sent. */
  knownCommitIndex(): number {
    return Math.max(this.node.commitIndex, this.driver.leaderCommit);
  }

  /** Milliseconds since this server last heard from the leader (0 on the leader itself). */
  msSinceLeaderContact(): number {
    if (this.isLeader()) return 0;
    return Math.round(monotonic.now() - this.driver.lastLeaderContact);
  }

  /** Every member with its Raft state as this server sees it (complete on the leader). */
  raftPeers(): RaftPeerInfo[] {
    return raftPeerInfos({
      self: this.identity.name,
      selfPeerAddr: this.cfg.peerAddr,
      status: this.node.status(),
      now: monotonic.now(),
      lastHeard: this.driver.lastHeard,
      peerAddrOf: (id) => this.addresses.peerAddr(id),
      clientAddrOf: (id) => this.clientAddrOf(id),
      snapshotFailures: (id) => this.transport.snapshotStatus(id),
      msSinceSnapshotFailure: (id) => this.transport.msSinceSnapshotFailure(id),
    });
  }

  /** Writes a consistent image of the state to `path` (a Roster snapshot file). */
  writeStateImage(path: string): Promise<SnapshotMeta> {
    return this.applier.writeImage(path);
  }

  memberAddresses(): MemberAddresses[] {
    return this.members.list();
  }

  peerAddrOf(id: NodeId): string | undefined {
    return this.addresses.peerAddr(id);
  }

  clientAddrOf(id: NodeId): string | undefined {
    return id === this.identity.name ? this.cfg.clientAddr : this.addresses.clientAddr(id);
  }

  /**
   * Proposes a KV write, here if this server leads, else through the leader (batched on the Raft
   * stream), and resolves with this server's own result of applying it.
   */
  proposeKv(cmd: KvCommand, deadline: Deadline): Promise<KvCommandResponse | undefined> {
    return this.proposer.proposeKv(cmd, deadline);
  }

  /** Proposes a registry command, as proposeKv does a KV one. */
  proposeRegistry(cmd: RegistryCommand, deadline: Deadline): Promise<RegistryResponse> {
    return this.proposer.proposeRegistry(cmd, deadline);
  }

  proposeAcl(cmd: AclCommand, deadline: Deadline): Promise<AclResponse> {
    return this.proposer.proposeAcl(cmd, deadline);
  }

  /** Proposes a membership change (on the leader) and resolves once it is applied here. */
  proposeConfChange(cc: ConfChange, deadline: Deadline): Promise<void> {
    return this.proposer.proposeConfChange(cc, deadline);
  }

  diskFault = (): string | undefined => this.driver.diskFault?.message; // why it refuses writes: it cannot write its Raft log

  /** Waits until a read here would be linearizable (ReadIndex), on the leader or a follower. */
  readBarrier(deadline: Deadline): Promise<void> {
    return this.barrier.start(deadline);
  }

  private askReadIndex(requestId: number): boolean {
    if (!this.node.readIndex(requestId).ok) return false;
    this.driver.kick();
    return true;
  }

  private readUnconfirmed(): RosterError {
    const leader = this.node.leader;
    if (leader === NO_NODE) return new RosterError('NO_LEADER', 'etcdserver: no leader', { leader, leaderAddr: '' });
    return new RosterError('UNAVAILABLE', 'etcdserver: the leader did not confirm the read in time', { leader, leaderAddr: this.clientAddrOf(leader) ?? '' });
  }

  transferLeadership(to: NodeId): void {
    const res = this.node.transferLeadership(to);
    if (!res.ok) throw new RosterError(res.code, res.message, { leader: res.leader });
    this.driver.kick();
  }

  /** Sends a client request to the leader (one hop); the caller handles "no leader". */
  /** Whether this server's own connection to `id`'s peer address is up (autopilot's reachability). */
  peerReachable(id: NodeId): boolean {
    return this.transport.reachable(id);
  }

  forwardToLeader(method: string, payload: Uint8Array, deadline: Deadline | undefined): Promise<Uint8Array> {
    return this.peerCalls.forwardToLeader(method, payload, deadline);
  }
}
