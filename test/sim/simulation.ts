import { decodeConfChange, describeConfState, MemoryStorage, type ConfState, type Entry, type Message, type ReadState } from '../../src/raft/index.js';
import { isRosterError } from '../../src/util/errors.js';
import { nodeId, type NodeId } from '../../src/util/ids.js';
import { seededRng, type Rng } from '../../src/util/rng.js';
import { SafetyChecker, SimViolation } from './checker.js';
import { EventQueue } from './event-queue.js';
import { describeScenario, scenarioFromSeed, type Scenario } from './scenario.js';
import { SimNetwork } from './sim-network.js';
import { SimNode } from './sim-node.js';
import type { SimMember } from './sim-member.js';
import { describeDiskFaults, diskFaultsFor, type DiskFaults } from './server/disk-faults.js';
import { ProdSimNode, type ProdSimHost, type SimSnapshot } from './server/prod-sim-node.js';
import { Trace } from './trace.js';
import { etcdPutWrites, plainWrites } from './write-codec.js';
import { Workload, type WorkloadStats } from './workload.js';

export interface SimOptions {
  /** Keep the whole trace (for replaying one seed). */
  readonly trace?: boolean;
  readonly overrides?: Partial<Scenario>;
  /**
   * Which driver runs each server: 'model', the simulator's own Ready loop over MemoryStorage
   * (fast; the core's properties), or 'production', the server's RaftDriver over
   * LevelRaftStorage on a simulated disk with faults (runAsync only).
   */
  readonly driver?: 'model' | 'production';
}

export interface SimStats extends WorkloadStats {
  leadersElected: number;
  crashes: number;
  partitions: number;
  membershipChanges: number;
  transfers: number;
  snapshotsSent: number;
  messagesDelivered: number;
  /** Ticks from healing to a stable leader, and from then to full convergence. */
  ticksToLeader: number;
  ticksToConverge: number;
  finalCommit: number;
  /** Production driver only: disk faults injected and seen by drivers. */
  diskFaultsSeen: number;
  /** Production driver: a state write failed and the server exited (its supervisor restarts it). */
  stateWriteExits: number;
  diskFullEpisodes: number;
  powerLosses: number;
}

export interface SimResult {
  readonly seed: number;
  readonly driver: 'model' | 'production';
  readonly ok: boolean;
  readonly scenario: string;
  readonly property?: string;
  readonly message?: string;
  readonly trace?: string;
  readonly stats: SimStats;
  readonly simulatedMs: number;
}

const CLIENT_POLL_MS = 5;

/**
 * One seeded run: a cluster of Raft cores on a simulated network and disks, under faults for
 * `faultPhaseMs`, then healed. Safety is checked after every step; after healing, liveness
 * bounds apply. The seed alone determines everything that happens.
 */
export class Simulation implements ProdSimHost {
  now = 0;
  readonly scenario: Scenario;
  readonly checker = new SafetyChecker();
  private readonly rng: Rng;
  private readonly events = new EventQueue<() => void>();
  private readonly network: SimNetwork;
  private readonly workload: Workload;
  private readonly traceLog: Trace;
  readonly nodes = new Map<NodeId, SimMember>();
  readonly driver: 'model' | 'production';
  private readonly diskFaults: DiskFaults;
  readonly snapshotImages = new Map<string, SimSnapshot>();
  private fatal: { node: NodeId; err: unknown } | undefined;
  /** No run goes past this (simulated ms): the liveness bounds, and a margin. Set by begin(). */
  private hardStop = Infinity;
  private readonly tracing: boolean;
  private readonly spareIds: NodeId[] = [];
  private phase: 'faults' | 'liveness' | 'done' = 'faults';
  private partitionGeneration = 0;
  private lastConfIndex = 0;
  private healedAt = 0;
  private leaderFoundAt: number | undefined;
  private readonly stats: SimStats;

  constructor(
    readonly seed: number,
    opts: SimOptions = {},
  ) {
    const master = seededRng(seed);
    this.scenario = scenarioFromSeed(seed, master.fork(), opts.overrides);
    this.rng = master.fork();
    this.network = new SimNetwork(this.scenario, master.fork());
    this.driver = opts.driver ?? 'model';
    this.workload = new Workload(master.fork(), this.checker, this.scenario.requestTimeoutMs, this.driver === 'production' ? etcdPutWrites : plainWrites);
    this.tracing = opts.trace === true;
    this.traceLog = new Trace(this.tracing);
    // Drawn last, from a stream of its own: the model's schedule for a seed does not change.
    this.diskFaults = diskFaultsFor(this.scenario, master.fork());
    this.stats = {
      ...this.workload.stats,
      leadersElected: 0,
      crashes: 0,
      partitions: 0,
      membershipChanges: 0,
      transfers: 0,
      snapshotsSent: 0,
      messagesDelivered: 0,
      ticksToLeader: 0,
      ticksToConverge: 0,
      finalCommit: 0,
      diskFaultsSeen: 0,
      stateWriteExits: 0,
      diskFullEpisodes: 0,
      powerLosses: 0,
    };
    const s = this.scenario;
    const ids = Array.from({ length: s.clusterSize + s.spareNodes }, (_, i) => nodeId(`n${i + 1}`));
    const voters = ids.slice(0, s.clusterSize).sort();
    this.spareIds.push(...ids.slice(s.clusterSize));
    for (const id of voters) this.addNode(id, { voters, learners: [] });
  }

  /** The model driver's run: synchronous, nothing in it waits on a promise. */
  run(): SimResult {
    if (this.driver !== 'model') throw new Error('the production driver runs with runAsync()');
    try {
      this.begin();
      while (this.stepEvent());
      return this.result(true);
    } catch (err) {
      return this.failed(err);
    }
  }

  /**
   * The production driver's run: after each event, every promise it settled runs its course
   * (the driver's and the storage's async code) before the next event. Nothing else can run
   * meanwhile (no real I/O or timers are involved), so the same seed replays exactly.
   */
  async runAsync(): Promise<SimResult> {
    try {
      this.begin();
      do {
        await new Promise((resolve) => setImmediate(resolve));
        if (this.fatal !== undefined) {
          // A check that failed inside the driver's callbacks reached its fatal handler.
          if (this.fatal.err instanceof SimViolation) throw this.fatal.err;
          const e = this.fatal.err as Error;
          throw new SimViolation('driver stopped', `${this.fatal.node}: ${e.message ?? String(e)}`);
        }
      } while (this.stepEvent());
      return this.result(true);
    } catch (err) {
      return this.failed(err);
    }
  }

  private begin(): void {
    const s = this.scenario;
    this.hardStop = s.faultPhaseMs + (this.leaderBound() + this.commitBound() + 50) * s.tickMs;
    this.trace(describeScenario(s) + (this.driver === 'production' ? ` | production driver: ${describeDiskFaults(this.diskFaults)}` : ''));
    for (const n of this.nodes.values()) n.start();
    this.scheduleClient();
    this.scheduleFaults();
    this.after(s.faultPhaseMs, () => this.heal());
  }

  /** Runs the next event; false once the run is over. */
  private stepEvent(): boolean {
    if (this.phase === 'done') return false;
    const ev = this.events.pop();
    if (ev === undefined) throw new SimViolation('liveness', 'the simulation ran out of events');
    this.now = ev.at;
    if (this.now > this.hardStop) throw new SimViolation('liveness', `not converged by ${this.hardStop}ms (internal bound)`);
    ev.event();
    return true;
  }

  private failed(err: unknown): SimResult {
    if (err instanceof SimViolation) return this.result(false, err.property, err.message);
    if (isRosterError(err, 'INVARIANT')) return this.result(false, 'core invariant', err.message);
    const e = err as Error;
    return this.result(false, 'crash', `${e.message}\n${e.stack ?? ''}`);
  }

  /**
   * Liveness bounds in ticks after healing. A production server whose disk failed retries its
   * write with a back-off of up to 2 s (RaftDriver.durably), so it may need that much longer.
   */
  private leaderBound(): number {
    return this.scenario.leaderBoundTicks + (this.driver === 'production' ? Math.ceil(2500 / this.scenario.tickMs) : 0);
  }

  private commitBound(): number {
    return this.scenario.commitBoundTicks + (this.driver === 'production' ? Math.ceil(2500 / this.scenario.tickMs) : 0);
  }

  private result(ok: boolean, property?: string, message?: string): SimResult {
    Object.assign(this.stats, this.workload.stats);
    this.stats.finalCommit = this.checker.committedLength;
    return {
      seed: this.seed,
      driver: this.driver,
      ok,
      scenario: describeScenario(this.scenario),
      stats: this.stats,
      simulatedMs: this.now,
      ...(ok ? {} : { property, message }),
      // A failure's tail always; the whole trace of a run that was asked to keep it.
      ...(!ok || this.tracing ? { trace: this.traceLog.render() } : {}),
    };
  }

  // ---- SimHost ----

  after(delayMs: number, fn: () => void): void {
    this.events.push(this.now + delayMs, fn);
  }

  trace(line: string): void {
    this.traceLog.add(this.now, line);
  }

  send(m: Message): void {
    if (m.type === 'voteResp' && !m.reject) this.checker.onVoteGranted(m.from, m.term, m.to);
    const fate = this.network.fate(m);
    const sender = this.nodes.get(m.from);
    if (fate.kind !== 'delivered') {
      if (m.type === 'snap') sender?.node?.reportSnapshot(m.to, false);
      if (fate.kind === 'blocked') sender?.node?.reportUnreachable(m.to);
      return;
    }
    for (const delay of fate.delays) {
      this.after(delay, () => {
        const target = this.nodes.get(m.to);
        if (target === undefined || !target.up) {
          // A real transport learns that the stream broke: a snapshot send is reported failed.
          if (m.type === 'snap') this.nodes.get(m.from)?.node?.reportSnapshot(m.to, false);
          return;
        }
        this.stats.messagesDelivered++;
        this.traceLog.add(this.now, m);
        if (m.type === 'snap') {
          this.stats.snapshotsSent++;
          const from = this.nodes.get(m.from);
          from?.node?.reportSnapshot(m.to, true);
          from?.pump();
        }
        target.step(m);
      });
    }
  }

  onApplied(node: SimMember, e: Entry): void {
    this.workload.onApplied(node, e, this.now);
    if (e.kind === 'conf' && e.index > this.lastConfIndex) {
      this.lastConfIndex = e.index;
      const cc = decodeConfChange(e.data);
      this.stats.membershipChanges++;
      this.trace(`committed ${cc.type} ${cc.node} at ${e.index}: ${describeConfState(node.node!.confStateAt(e.index))}`);
      if (cc.type === 'removeNode') {
        const removed = this.nodes.get(cc.node);
        if (removed !== undefined) removed.removed = true;
      }
    }
  }

  onSnapshotRestored(node: SimMember, index: number): void {
    this.trace(`${node.id} restored snapshot at ${index}`);
    this.workload.onSnapshotRestored(node, index, this.now);
  }

  onReadServed(node: SimMember, rs: ReadState, appliedIndex: number): void {
    this.workload.onReadServed(node, rs, appliedIndex);
  }

  onBecameLeader(node: SimMember): void {
    this.stats.leadersElected++;
    this.trace(`${node.id} is leader of term ${node.node!.term} (${describeConfState(node.node!.status().conf)})`);
    if (this.phase === 'faults' && this.scenario.changeOnElection) {
      // Twice: at once (refused until the no-op commits) and a round trip later.
      const epoch = node.epoch;
      const act = (): void => {
        if (this.phase === 'faults' && node.up && node.epoch === epoch && node.node!.role === 'leader') this.changeMembership();
      };
      this.after(0, act);
      this.after(1 + this.rng.int(2 * this.scenario.maxDelayMs), act);
    }
    if (this.phase === 'faults' && this.rng.chance(this.scenario.crashNewLeaderRate)) {
      const epoch = node.epoch;
      if (this.rng.chance(0.5)) {
        // At the most dangerous moment: right after its first commit decision, before the
        // Ready carrying it is written or any follower hears of it.
        node.crashAtFirstCommit = true;
      } else {
        this.after(1 + this.rng.int(6 * this.scenario.maxDelayMs), () => {
          if (this.phase === 'faults' && node.up && node.epoch === epoch) this.crash(node, 20 + this.rng.int(300));
        });
      }
    }
  }

  onLeaderCommitDecided(node: SimMember): void {
    if (!node.crashAtFirstCommit) return;
    node.crashAtFirstCommit = false;
    if (this.phase === 'faults') this.crash(node, 20 + this.rng.int(300));
  }

  isDurable(id: NodeId, e: Entry): boolean {
    return this.nodes.get(id)?.hasDurably(e) ?? false;
  }

  // ---- ProdSimHost ----

  get faultsEndAt(): number {
    return this.scenario.faultPhaseMs;
  }

  driverFatal(node: ProdSimNode, err: unknown): void {
    this.fatal ??= { node: node.id, err };
  }

  onDiskFault(node: ProdSimNode, what: 'raft log' | 'state', code: string): void {
    if (what === 'state') this.stats.stateWriteExits++;
    else this.stats.diskFaultsSeen++;
    this.trace(`${node.id}: ${what} write failed (${code})${what === 'raft log' ? '; the driver retries' : ''}`);
  }

  // ---- nodes ----

  /** A founding member with `bootstrap`, or an empty one (a joiner). */
  private addNode(id: NodeId, bootstrap: ConfState | undefined): SimMember {
    const n =
      this.driver === 'production'
        ? new ProdSimNode(id, bootstrap, this, this.rng.fork(), this.diskFaults)
        : new SimNode(id, bootstrap === undefined ? new MemoryStorage() : MemoryStorage.bootstrap(bootstrap), this, this.rng.fork());
    this.nodes.set(id, n);
    return n;
  }

  /** The up node that leads the highest term, if any. */
  private currentLeader(): SimMember | undefined {
    let best: SimMember | undefined;
    for (const n of this.nodes.values()) {
      if (n.node?.role === 'leader' && (best === undefined || n.node.term > best.node!.term)) best = n;
    }
    return best;
  }

  // ---- clients ----

  private scheduleClient(): void {
    const s = this.scenario;
    const writeLoop = (): void => {
      if (this.phase !== 'faults') return;
      if (this.workload.outstandingWrites() < s.maxOutstandingWrites) this.workload.newWrite(this.now);
      this.after(1 + this.rng.int(s.writeEveryMs * 2), writeLoop);
    };
    const readLoop = (): void => {
      if (this.phase !== 'faults') return;
      this.workload.newRead(this.now, this.nodes);
      this.after(1 + this.rng.int(s.readEveryMs * 2), readLoop);
    };
    const poll = (): void => {
      if (this.phase === 'done') return;
      this.workload.poll(this.now, this.nodes);
      if (this.phase === 'liveness') this.checkLiveness();
      this.after(CLIENT_POLL_MS, poll);
    };
    this.after(1, writeLoop);
    this.after(1, readLoop);
    this.after(CLIENT_POLL_MS, poll);
  }

  // ---- faults ----

  private scheduleFaults(): void {
    const s = this.scenario;
    const every = (meanMs: number, fault: () => void): void => {
      if (meanMs <= 0) return;
      const loop = (): void => {
        if (this.phase !== 'faults') return;
        fault();
        this.after(Math.round(meanMs / 2 + this.rng.int(meanMs)), loop);
      };
      this.after(Math.round(meanMs / 2 + this.rng.int(meanMs)), loop);
    };
    every(s.crashEveryMs, () => this.crashOne());
    every(s.partitionEveryMs, () => this.partition());
    every(s.membershipEveryMs, () => {
      this.changeMembership();
      // An operator replacing a server asks for two changes at once; the second must wait.
      if (s.profile === 'membership' && this.rng.chance(0.5)) this.changeMembership();
    });
    every(s.transferEveryMs, () => this.transferLeadership());
    if (this.driver === 'production') {
      every(this.diskFaults.fullEveryMs, () => {
        const victims = [...this.nodes.values()].filter((n): n is ProdSimNode => n instanceof ProdSimNode);
        if (victims.length === 0) return;
        const victim = this.rng.pick(victims);
        const ms = 50 + this.rng.int(this.diskFaults.fullMaxMs);
        victim.fillDisk(ms);
        this.stats.diskFullEpisodes++;
        this.trace(`DISK FULL ${victim.id} for ${ms}ms`);
      });
    }
  }

  private crashOne(): void {
    const up = [...this.nodes.values()].filter((n) => n.up);
    if (up.length === 0) return;
    // Leaders are the interesting victims: Figure 8 and most lost-write bugs need a leader to
    // fail mid-replication.
    const leader = this.currentLeader();
    this.crash(leader !== undefined && this.rng.chance(0.5) ? leader : this.rng.pick(up));
  }

  private crash(victim: SimMember, downMs = 50 + this.rng.int(1000)): void {
    const powerLoss = this.rng.chance(this.scenario.powerLossRate);
    victim.crash(powerLoss);
    this.stats.crashes++;
    if (powerLoss) this.stats.powerLosses++;
    this.trace(`CRASH ${victim.id}${powerLoss ? ' (power loss: unsynced writes lost)' : ''}`);
    const epoch = victim.epoch;
    this.after(downMs, () => {
      if (this.phase !== 'faults' || victim.up || victim.epoch !== epoch) return;
      this.restart(victim);
    });
  }

  private restart(n: SimMember): void {
    n.start();
    this.trace(`RESTART ${n.id} (${n.describeLog()})`);
  }

  private partition(): void {
    this.network.heal();
    const ids = [...this.nodes.keys()];
    const kind = this.scenario.profile === 'membership' && this.rng.chance(0.5) ? 'split' : this.rng.pick(['split', 'isolate-leader', 'one-way'] as const);
    if (kind === 'split' && ids.length > 1) {
      const shuffled = this.rng.shuffle(ids.slice());
      const k = 1 + this.rng.int(shuffled.length - 1);
      this.network.split(shuffled.slice(0, k), shuffled.slice(k));
    } else if (kind === 'isolate-leader') {
      const leader = this.currentLeader();
      if (leader !== undefined) this.network.split([leader.id], ids.filter((id) => id !== leader.id));
    } else {
      for (let i = 0, n = 1 + this.rng.int(3); i < n; i++) {
        const a = this.rng.pick(ids);
        const b = this.rng.pick(ids);
        if (a !== b) this.network.block(a, b);
      }
    }
    this.stats.partitions++;
    const generation = ++this.partitionGeneration;
    this.trace(`PARTITION ${kind}: blocked ${this.network.describe()}`);
    this.after(100 + this.rng.int(900), () => {
      if (this.phase !== 'faults' || generation !== this.partitionGeneration) return;
      this.network.heal();
      this.trace('partition healed');
    });
  }

  /** An operator's membership change, proposed to the current leader. */
  private changeMembership(): void {
    const leader = this.currentLeader();
    if (leader === undefined) return;
    const st = leader.node!.status();
    const caughtUp = st.peers.filter((p) => p.membership === 'learner' && st.lastIndex - p.match <= 10).map((p) => p.id);
    const voters = st.conf.voters;
    const options: (() => void)[] = [];
    if (caughtUp.length > 0 && voters.length < 5) {
      options.push(() => this.propose(leader, 'addVoter', this.rng.pick(caughtUp)));
    }
    if (this.spareIds.length > 0 && st.conf.learners.length === 0) {
      options.push(() => {
        const id = this.spareIds.shift()!;
        this.addNode(id, undefined).start();
        this.trace(`START ${id} (empty, joining as learner)`);
        this.propose(leader, 'addLearner', id);
      });
    }
    if (voters.length > 3 || (voters.length === 3 && this.rng.chance(0.2))) {
      options.push(() => this.propose(leader, 'removeNode', this.rng.pick(voters)));
    }
    if (st.conf.learners.length > 0) options.push(() => this.propose(leader, 'removeNode', this.rng.pick(st.conf.learners)));
    if (options.length > 0) this.rng.pick(options)();
  }

  private propose(leader: SimMember, type: 'addVoter' | 'addLearner' | 'removeNode', node: NodeId): void {
    const res = leader.node!.proposeConfChange({ type, node });
    this.trace(`${leader.id}: propose ${type} ${node} -> ${res.ok ? `index ${res.index}` : res.code}`);
    leader.pump();
    if (res.ok && this.rng.chance(this.scenario.crashAfterConfChangeRate)) {
      const epoch = leader.epoch;
      this.after(1 + this.rng.int(3 * this.scenario.maxDelayMs), () => {
        if (this.phase === 'faults' && leader.up && leader.epoch === epoch) this.crash(leader, 20 + this.rng.int(300));
      });
    }
  }

  private transferLeadership(): void {
    const leader = this.currentLeader();
    if (leader === undefined) return;
    const others = leader.node!.status().conf.voters.filter((id) => id !== leader.id);
    if (others.length === 0) return;
    const to = this.rng.pick(others);
    const res = leader.node!.transferLeadership(to);
    this.stats.transfers++;
    this.trace(`${leader.id}: transfer leadership to ${to} -> ${res.ok ? 'started' : res.code}`);
    leader.pump();
  }

  // ---- healing and liveness ----

  private heal(): void {
    this.phase = 'liveness';
    this.healedAt = this.now;
    this.network.calm();
    for (const n of this.nodes.values()) {
      if (n.removed) {
        if (n.up) n.crash(false); // an operator shuts down removed servers
      } else if (!n.up) {
        this.restart(n);
      }
    }
    this.workload.newWrite(this.now); // a marker that must commit
    this.trace('HEAL: faults stop; removed servers shut down; every other server is up');
  }

  private checkLiveness(): void {
    const s = this.scenario;
    const ticksSinceHeal = (this.now - this.healedAt) / s.tickMs;
    const leader = this.stableLeader();
    if (this.leaderFoundAt === undefined) {
      if (leader !== undefined) {
        this.leaderFoundAt = this.now;
        this.stats.ticksToLeader = Math.ceil(ticksSinceHeal);
        this.trace(`liveness: stable leader ${leader.id} after ${this.stats.ticksToLeader} ticks`);
      } else if (ticksSinceHeal > this.leaderBound()) {
        throw new SimViolation('liveness', `no stable leader within ${this.leaderBound()} ticks of healing: ${this.describeNodes()}`);
      }
      return;
    }
    const ticksSinceLeader = (this.now - this.leaderFoundAt) / s.tickMs;
    const lagging = leader === undefined ? 'no stable leader' : this.laggingMembers(leader);
    if (lagging === '' && this.workload.outstandingWrites() === 0) {
      this.stats.ticksToConverge = Math.ceil(ticksSinceLeader);
      this.trace(`liveness: converged at commit ${leader!.node!.commitIndex} after ${this.stats.ticksToConverge} more ticks`);
      this.phase = 'done';
      return;
    }
    if (ticksSinceLeader > this.commitBound()) {
      const pending = this.workload.outstandingWrites();
      throw new SimViolation(
        'liveness',
        `not converged within ${this.commitBound()} ticks of electing a leader: ${lagging || 'members caught up'}; ` +
          `${pending} writes pending${pending > 0 ? ` (${this.workload.describeOutstanding()})` : ''}; ${this.describeNodes()}`,
      );
    }
  }

  /** A leader of the highest term that every up voter of its configuration follows. */
  private stableLeader(): SimMember | undefined {
    const leader = this.currentLeader();
    if (leader === undefined) return undefined;
    const term = leader.node!.term;
    for (const id of leader.node!.status().conf.voters) {
      const n = this.nodes.get(id);
      if (n === undefined || !n.up || n.node!.leader !== leader.id || n.node!.term !== term) return undefined;
    }
    return leader;
  }

  private laggingMembers(leader: SimMember): string {
    const commit = leader.node!.commitIndex;
    const st = leader.node!.status();
    const out: string[] = [];
    for (const id of [...st.conf.voters, ...st.conf.learners]) {
      const n = this.nodes.get(id);
      if (n === undefined || !n.up) out.push(`${id} down`);
      else if (n.sm.index !== commit) out.push(`${id} applied ${n.sm.index}/${commit}`);
    }
    return out.join(', ');
  }

  private describeNodes(): string {
    return [...this.nodes.values()]
      .map((n) => {
        if (!n.up) return `${n.id}:down${n.removed ? '(removed)' : ''}`;
        const st = n.node!.status();
        return `${n.id}:${st.role} t${st.term} lead=${st.leader || '-'} commit=${st.commit} last=${st.lastIndex} applied=${n.sm.index}`;
      })
      .join(' ');
  }
}

export function runSeed(seed: number, opts: SimOptions = {}): SimResult {
  return new Simulation(seed, opts).run();
}

/** One seed through the production RaftDriver and LevelRaftStorage, with disk faults. */
export function runSeedProduction(seed: number, opts: Omit<SimOptions, 'driver'> = {}): Promise<SimResult> {
  return new Simulation(seed, { ...opts, driver: 'production' }).runAsync();
}
