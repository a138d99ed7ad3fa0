import { randomBytes, randomInt } from 'node:crypto';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { EMPTY_DATA, RaftNode, type ConfChange, type ConfState, type Message, type RaftStatus, type SoftState } from '../raft/index.js';
import { MembersStore, type MemberAddresses } from '../store/cluster/members-store.js';
import { ENTRY_TAG, unwrapEntry, wrapCommandEntry, wrapEntry } from '../store/envelope.js';
import { encodeRegistryCommand, type RegistryCommand, type RegistryResponse } from '../store/registry/commands.js';
import { RegistryExtension } from '../store/registry/registry-extension.js';
import type { StateResponse } from '../store/state-command.js';
import { RequestIds } from '../store/request-id.js';
import { RequestWaiters } from './request-waiters.js';
import { WriteForwarder } from './write-forwarder.js';
import { toGrpcError } from '../api/grpc-errors.js';
import type { KvCommand, KvCommandResponse } from '../store/kv/command.js';
import { encodeKvCommand } from '../store/kv/command-codec.js';
import { MvccStore } from '../store/kv/mvcc-store.js';
import { LevelRaftStorage } from '../store/leveldb/level-raft-storage.js';
import { receiveSnapshotFile, snapshotFileBytes, verifySnapshotFile } from '../store/leveldb/snapshot-file.js';
import { STATE_PREFIX, StateDb } from '../store/leveldb/state-db.js';
import { RaftTransport } from '../transport/raft-transport.js';
import { monotonicClock } from '../time/monotonic-clock.js';
import { RosterError } from '../util/errors.js';
import { NO_NODE, nodeId, type NodeId } from '../util/ids.js';
import { seededRng } from '../util/rng.js';
import { AddressBook } from './address-book.js';
import { writeFoundingMembers } from './founding-members.js';
import { Applier, decodeMemberAttributes, diskSnapshotFiles, type StateStore } from './applier.js';
import { foundingClusterId } from './cluster-token.js';
import { ForeignPeers, saidAdvisedStop } from './foreign-peers.js';
import { repairAfterInstallCrash } from './install-repair.js';
import { memberIdOf, openIdentity, writeIdentity, type ServerIdentity } from './identity.js';
import type { SnapshotMeta } from '../raft/index.js';
import { KEEPALIVE_METHOD, LeaseRuntime } from './lease-runtime.js';
import { ProposalTracker } from './proposals.js';
import { RegistryRuntime } from './registry-runtime.js';
import { RaftDriver } from './raft-driver.js';
import { ReadBarrier } from './read-barrier.js';
import type { ServerConfig } from './server-config.js';
import type { RaftPeerInfo } from './raft-peer-info.js';
import { deadlineIn, type Deadline } from '../time/deadline.js';

/** What a server tells its metrics as it happens. */
export interface ServerObserver {
  persisted(ms: number, synced: boolean): void;
  leaderChanged(): void;
  /** A snapshot file just written (to send to a follower, or to save) did not verify. */
  snapshotRefused(purpose: 'send' | 'save'): void;
  /** An InstallSnapshot to `peer` failed (the transport backs off before the next). */
  snapshotFailed(peer: string): void;
  diskFault(op: string, code: string): void; // a Raft log write failed (EIO, ENOSPC, ...): it is retried
}

/** The internal method a follower uses to hand a raw entry (member attributes) to the leader. */
export const PROPOSE_METHOD = '/roster.internal/Propose';

const monotonic = monotonicClock;

/**
 * One Roster server: Raft over gRPC, the log and the state in LevelDB, and the operations the
 * public API needs (propose, read barrier, local reads, forwarding, membership, status).
 */
export class ServerNode {
  /** Told of every persisted Ready and leader change (metrics); set after start. */
  observer: ServerObserver | undefined;
  /** Set while gossip shows a mass failure (self-preservation.ts): the leader removes nothing for it. */
  preserving = false;
  /** Set while every server announces a version that applies keepSessions (features.ts). */
  canKeepSessions = false;
  identity: ServerIdentity; // replaced once, when a joiner without a cluster id adopts its cluster's
  private readonly foreignPeers = new ForeignPeers((err) => this.fatal(err));
  readonly memberId: string;
  private node!: RaftNode;
  private storage!: LevelRaftStorage;
  private state!: StateDb;
  private members!: MembersStore;
  private transport!: RaftTransport;
  private driver!: RaftDriver;
  private applier!: Applier;
  private addresses!: AddressBook;
  private readonly proposals = new ProposalTracker<StateResponse | undefined>();
  private readonly requests = new RequestWaiters<StateResponse | undefined>();
  private readonly forwarder: WriteForwarder<StateResponse | undefined>;
  private readonly requestIds = new RequestIds(randomBytes(8));
  private knownLeader: NodeId = NO_NODE;
  private readonly barrier: ReadBarrier;
  readonly leaseRuntime: LeaseRuntime;
  readonly registryRuntime: RegistryRuntime;
  private readonly appliedListeners: (() => void)[] = [];
  private publishTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  /** Stopping: new writes are refused (SHUTTING_DOWN), those in flight may still finish. */
  private draining = false;
  /** The forwarding handler the API installs (it knows how to run client methods). */
  forwardHandler: ((method: string, payload: Uint8Array, deadline: Deadline | undefined) => Promise<Uint8Array>) | undefined;

  private constructor(
    readonly cfg: ServerConfig,
    identity: ServerIdentity,
    private readonly onFatal: (err: unknown) => void,
  ) {
    this.identity = identity;
    this.memberId = memberIdOf(identity.name);
    const electionMs = cfg.electionTicks * cfg.tickMs;
    // A read no leader confirms within the longest election timeout is refused (the client
    // retries), instead of being held to the client's deadline.
    this.forwarder = new WriteForwarder<StateResponse | undefined>({
      self: () => this.identity.name,
      logger: () => this.cfg.logger,
      requests: this.requests,
      leader: () => this.node.leader,
      proposeAsLeader: (entries) => (this.isLeader() && this.driver.diskFault === undefined ? this.node.propose(entries) : undefined),
      sendProposals: (to, data) => this.transport.sendProposals(to, data),
      refuseProposals: (to, ids, hint) => this.transport.refuseProposals(to, ids, hint),
      acceptProposals: (to, ids, index, term) => this.transport.acceptProposals(to, ids, index, term),
      clientAddrOf: (id) => this.clientAddrOf(id),
      kick: () => this.driver.kick(),
    }, 2 * electionMs);
    this.barrier = new ReadBarrier(2 * electionMs, { ask: (id) => this.askReadIndex(id), unconfirmed: () => this.readUnconfirmed() });
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
      propose: (cmd, deadline) => this.proposeKv(cmd, deadline),
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
      propose: (cmd, deadline) => this.proposeRegistry(cmd, deadline),
      preserving: () => this.preserving,
      canKeepSessions: () => this.canKeepSessions,
      logger: cfg.logger,
    });
  }

  /** etcd's minimum lease TTL: 1.5 election timeouts, in whole seconds. */
  get minLeaseTtlSeconds(): number {
    return Math.max(1, Math.ceil((3 * this.cfg.electionTicks * this.cfg.tickMs) / 2 / 1000));
  }

  static async start(cfg: ServerConfig, onFatal: (err: unknown) => void): Promise<ServerNode> {
    await mkdir(cfg.dataDir, { recursive: true });
    const identity = await openIdentity(cfg.dataDir, cfg.name, () => ({
      name: cfg.name,
      clusterId: cfg.clusterId ?? foundingClusterId({ self: cfg.name, initialCluster: cfg.initialCluster, state: cfg.initialClusterState, token: undefined }),
      initialCluster: cfg.initialCluster,
    }));
    const s = new ServerNode(cfg, identity, onFatal);
    await s.open();
    return s;
  }

  private async open(): Promise<void> {
    const { cfg, identity } = this;
    const founding = cfg.initialClusterState === 'new' && identity.initialCluster[identity.name] !== undefined;
    const bootstrap: ConfState | undefined = founding ? { voters: Object.keys(identity.initialCluster).map(nodeId).sort(), learners: [] } : undefined;
    this.storage = await LevelRaftStorage.open(join(cfg.dataDir, 'raft'), bootstrap === undefined ? {} : { bootstrap });
    if (this.storage.recovery.droppedTail > 0) cfg.logger.warn('dropped a damaged log tail', { entries: this.storage.recovery.droppedTail });
    this.state = await StateDb.open(cfg.dataDir);
    const openStore = (): Promise<StateStore> =>
      MvccStore.open(this.state.store(STATE_PREFIX.kv), { extension: new RegistryExtension((ended) => this.registryRuntime.sessionsEnded(ended)) });
    const mvcc = await openStore();
    this.members = await MembersStore.open(this.state.store(STATE_PREFIX.cluster));
    if (bootstrap !== undefined) await writeFoundingMembers(this.members, identity.initialCluster, mvcc.appliedIndex());
    await repairAfterInstallCrash(this.storage, mvcc.appliedIndex(), () => this.state.installedSnapshot(), cfg.logger);
    const compaction = this.storage.initialState().snapshotIndex;
    if (mvcc.appliedIndex() < compaction && compaction > 1) {
      throw new RosterError('STORAGE_CORRUPT', `the state is at index ${mvcc.appliedIndex()} but the raft log starts after ${compaction}`);
    }
    this.addresses = new AddressBook(this.members, identity.initialCluster);
    if (this.storage.lastIndex() >= this.storage.firstIndex()) this.addresses.learn(this.storage.entries(this.storage.firstIndex(), this.storage.lastIndex() + 1));
    this.node = new RaftNode({
      id: identity.name,
      storage: this.storage,
      rng: seededRng(randomInt(2 ** 31)),
      electionTick: cfg.electionTicks,
      heartbeatTick: cfg.heartbeatTicks,
      applied: mvcc.appliedIndex(),
      logger: cfg.logger,
    });
    const snapDir = join(cfg.dataDir, 'snap');
    await mkdir(snapDir, { recursive: true });
    // Snapshot files only live for one transfer or install: leftovers of a crash go.
    for (const name of await readdir(snapDir)) await rm(join(snapDir, name), { force: true });
    this.transport = new RaftTransport({
      self: identity.name,
      clusterId: identity.clusterId,
      listen: cfg.peerAddr,
      addressOf: (id) => this.addresses.peerAddr(id),
      logger: cfg.logger,
      handlers: {
        onMessage: (m) => this.driver.step(m),
        onSnapshot: (head, data) => this.receiveSnapshot(head, data, snapDir),
        onForward: (method, payload, deadline) => this.onForward(method, payload, deadline),
        onProposals: (from, data) => this.forwarder.received(from, data),
        onProposalsAccepted: (from, ids, index, term) => this.forwarder.accepted(from, ids, index, term),
        onProposalsRefused: (_from, ids, hint) => this.forwarder.refused(ids, hint),
        snapshotData: (meta) => {
          const path = this.applier.prepared.get(meta.index);
          if (path === undefined) throw new RosterError('BAD_SNAPSHOT', `no prepared snapshot at ${meta.index}`);
          return snapshotFileBytes(path);
        },
        reportUnreachable: (id) => this.node.reportUnreachable(id),
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
      fatal: (err) => this.fatal(err),
      onDiskFault: (op, code) => this.observer?.diskFault(op, code),
      clock: monotonic,
      tickMs: cfg.tickMs,
      logger: cfg.logger,
    });
    this.applier = new Applier(
      {
        state: this.state,
        members: this.members,
        storage: this.storage,
        node: this.node,
        driver: () => this.driver,
        proposals: this.proposals,
        requests: this.requests,
        barrier: this.barrier,
        snapDir,
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
        },
        onBatch: () => {
          for (const l of this.appliedListeners) l();
        },
        onSnapshotRefused: (purpose) => this.observer?.snapshotRefused(purpose),
      },
      mvcc,
      openStore,
    );
    this.barrier.appliedTo(mvcc.appliedIndex());
    this.storage.onSnapshotNeeded = () => this.applier.wantSnapshot();
    await this.transport.start();
    this.driver.start();
    this.leaseRuntime.start();
    this.registryRuntime.start();
    this.publishTimer = setInterval(() => this.publishAttributes(), 500);
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.publishTimer !== undefined) clearInterval(this.publishTimer);
    this.leaseRuntime.stop();
    this.registryRuntime.stop();
    this.driver.stop();
    const closed = new RosterError('UNAVAILABLE', 'etcdserver: server stopped');
    this.proposals.failAll(closed);
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
    while (this.proposals.size + this.requests.size > 0 && monotonicClock.now() < until) await new Promise((r) => setTimeout(r, 20));
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
    if (s.leader !== this.knownLeader) {
      this.knownLeader = s.leader;
      this.observer?.leaderChanged();
      this.forwarder.leaderChanged(s.leader);
      // Reads asked of the old leader would never be confirmed: they are asked of this one.
      this.barrier.leaderChanged();
    }
    // A new leader: publish our client address now rather than at the next timer round.
    if (s.leader !== NO_NODE) setImmediate(() => this.publishAttributes());
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
    const st = this.node.status();
    const now = monotonic.now();
    const byId = new Map(st.peers.map((p) => [p.id as string, p]));
    const names = [...new Set<string>([...st.conf.voters, ...st.conf.learners, ...st.peers.map((p) => p.id)])].sort();
    return names.map((name) => {
      const id = name as NodeId;
      const pr = byId.get(name);
      const heard = this.driver.lastHeard.get(name);
      const self = id === this.identity.name;
      const failure = self ? undefined : this.transport.snapshotStatus(id);
      return {
        name,
        memberId: memberIdOf(name),
        peerAddr: self ? this.cfg.peerAddr : (this.addresses.peerAddr(id) ?? ''),
        clientAddr: this.clientAddrOf(id) ?? '',
        membership: pr?.membership ?? (st.conf.voters.includes(id) ? 'voter' : 'learner'),
        leader: st.leader === id,
        matchIndex: self && st.role === 'leader' ? st.lastIndex : (pr?.match ?? 0),
        lastContactMs: self ? 0 : heard === undefined ? -1 : Math.round(now - heard),
        replication: self ? '' : (pr?.state ?? ''),
        snapshotFailures: failure?.failures ?? 0,
        lastSnapshotError: failure?.lastError ?? '',
        lastSnapshotFailureMs: this.transport.msSinceSnapshotFailure(id),
      };
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
    return this.proposeCommand(ENTRY_TAG.kv, encodeKvCommand(cmd), deadline) as Promise<KvCommandResponse | undefined>;
  }

  /** Proposes a registry command, as proposeKv does a KV one. */
  async proposeRegistry(cmd: RegistryCommand, deadline: Deadline): Promise<RegistryResponse> {
    const res = await this.proposeCommand(ENTRY_TAG.registry, encodeRegistryCommand(cmd), deadline);
    if (res === undefined || res.type !== cmd.type) throw new RosterError('INTERNAL', `no ${cmd.type} result`);
    return res as RegistryResponse;
  }

  diskFault = (): string | undefined => this.driver.diskFault?.message; // why it refuses writes: it cannot write its Raft log

  private proposeCommand(tag: typeof ENTRY_TAG.kv | typeof ENTRY_TAG.registry, command: Uint8Array, deadline: Deadline): Promise<StateResponse | undefined> {
    const refusal = this.refusal();
    if (refusal !== undefined) return Promise.reject(refusal);
    const id = this.requestIds.next();
    const data = wrapCommandEntry(tag, id, command);
    if (this.isLeader()) {
      const res = this.node.propose([data]);
      if (!res.ok) return Promise.reject(new RosterError(res.code, res.message, { leader: res.leader }));
      this.requests.proposedAt(res.index, res.term, id);
      const done = this.requests.wait(id, deadline, false);
      this.driver.kick();
      return done;
    }
    const leader = this.node.leader;
    if (leader === NO_NODE) return Promise.reject(new RosterError('NO_LEADER', 'etcdserver: no leader', { leader: '', leaderAddr: '' }));
    const done = this.requests.wait(id, deadline, true);
    this.forwarder.forward(data, id);
    return done;
  }

  private proposeData(data: Uint8Array, deadline: Deadline): Promise<StateResponse | undefined> {
    const refusal = this.refusal();
    if (refusal !== undefined) return Promise.reject(refusal);
    const res = this.node.propose([data]);
    if (!res.ok) return Promise.reject(new RosterError(res.code, res.message, { leader: res.leader }));
    this.driver.kick();
    return this.proposals.wait(res.index, res.term, deadline);
  }

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

  /** Proposes a membership change (on the leader) and resolves once it is applied here. */
  proposeConfChange(cc: ConfChange, deadline: Deadline): Promise<void> {
    const res = this.node.proposeConfChange(cc);
    if (!res.ok) return Promise.reject(new RosterError(res.code, res.message, { leader: res.leader }));
    this.driver.kick();
    return this.proposals.wait(res.index, res.term, deadline).then(() => undefined);
  }

  transferLeadership(to: NodeId): void {
    const res = this.node.transferLeadership(to);
    if (!res.ok) throw new RosterError(res.code, res.message, { leader: res.leader });
    this.driver.kick();
  }

  /** Sends a client request to the leader (one hop); the caller handles "no leader". */
  forwardToLeader(method: string, payload: Uint8Array, deadline: Deadline | undefined): Promise<Uint8Array> {
    const leader = this.node.leader;
    if (leader === NO_NODE || leader === this.identity.name) return Promise.reject(new RosterError('NO_LEADER', 'etcdserver: no leader'));
    return this.transport.forward(leader, method, payload, deadline);
  }

  private async onForward(method: string, payload: Uint8Array, deadline: Deadline | undefined): Promise<Uint8Array> {
    try {
      if (method === KEEPALIVE_METHOD) return await this.leaseRuntime.onForwarded(payload, deadline);
      if (method === PROPOSE_METHOD) {
        // Only members publishing their own attributes use this path: check before proposing.
        const env = unwrapEntry(payload);
        if (env?.tag !== ENTRY_TAG.memberAttributes) throw new RosterError('BAD_COMMAND', 'only member attributes may be proposed through the peer port');
        decodeMemberAttributes(env.body);
        await this.proposeData(payload, deadline ?? deadlineIn(this.cfg.defaultRequestTimeoutMs));
        return EMPTY_DATA;
      }
      if (this.forwardHandler === undefined) throw new RosterError('UNAVAILABLE', 'this server does not serve client requests yet');
      return await this.forwardHandler(method, payload, deadline);
    } catch (err) {
      throw toGrpcError(err); // keep the status code (and leader hint) across the hop
    }
  }

  /** Publishes this server's client address into the members table (once, through Raft). */
  private publishAttributes(): void {
    const me = this.members.get(this.identity.name);
    if (me === undefined || me.clientAddr === this.cfg.clientAddr || this.node.leader === NO_NODE) return;
    const body = new TextEncoder().encode(JSON.stringify({ name: this.identity.name, clientAddr: this.cfg.clientAddr }));
    const data = wrapEntry(ENTRY_TAG.memberAttributes, body);
    const deadline = deadlineIn(2000);
    const attempt = this.isLeader() ? this.proposeData(data, deadline) : this.forwardToLeader(PROPOSE_METHOD, data, deadline);
    attempt.catch((err: unknown) => this.cfg.logger.debug('publishing attributes failed, will retry', { error: String(err) }));
  }

  private async receiveSnapshot(head: { from: NodeId; term: number; meta: import('../raft/index.js').SnapshotMeta }, data: AsyncIterable<Uint8Array>, snapDir: string): Promise<void> {
    const path = join(snapDir, `recv-${head.meta.term}-${head.meta.index}-${randomInt(2 ** 31)}.snap`);
    const bytes = await receiveSnapshotFile(path, data);
    // Verify it now, so a broken transfer fails here (the leader retries) instead of at install.
    try {
      const { header } = await verifySnapshotFile(path);
      if (header.meta.index !== head.meta.index || header.clusterId !== this.identity.clusterId) {
        throw new RosterError('BAD_SNAPSHOT', `the file is for index ${header.meta.index} of cluster ${header.clusterId}, expected ${head.meta.index} of ${this.identity.clusterId}`);
      }
    } catch (err) {
      await rm(path, { force: true });
      throw new RosterError('BAD_SNAPSHOT', `received snapshot for ${head.meta.index} is refused: ${err instanceof Error ? err.message : String(err)}`);
    }
    const previous = this.applier.received.get(head.meta.index);
    if (previous !== undefined) await rm(previous, { force: true });
    this.cfg.logger.info('received snapshot', { from: head.from, index: head.meta.index, bytes });
    this.applier.received.set(head.meta.index, path);
    const m: Message = { type: 'snap', from: head.from, to: this.identity.name, term: head.term, snapshot: { meta: head.meta, data: EMPTY_DATA } };
    this.driver.step(m);
  }
}
