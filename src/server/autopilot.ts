import type { MemberView } from '../gossip/member-table.js';
import { FOUNDING_TOKEN_PREFIX } from './cluster-token.js';
import type { ConfChange } from '../raft/index.js';
import { encodeConfChangeContext } from '../store/cluster/conf-change-context.js';
import { noteDropped } from '../util/dropped.js';
import { nodeId } from '../util/ids.js';
import type { Logger } from '../util/logger.js';
import { deadlineIn, type Deadline } from '../time/deadline.js';
import { monotonicClock } from '../time/monotonic-clock.js';

export interface AutopilotConfig {
  /** A learner must be alive in gossip and caught up this long before it becomes a voter. */
  readonly stabilizationMs: number;
  /** Caught up: no more than this many entries behind the leader's log. */
  readonly maxTrailingLogs: number;
  /**
   * A server gossip has declared failed this long is removed (if the voters keep a quorum), and
   * only once the leader has not heard from it over Raft for this long either.
   */
  readonly deadServerMs: number;
}

/**
 * How recently the leader must have heard from a learner over Raft to promote it. Heartbeats go
 * out every few ticks, so a replicating learner is heard from within a fraction of this.
 */
export const PROMOTE_CONTACT_MS = 3000;

export const AUTOPILOT_DEFAULTS: AutopilotConfig = { stabilizationMs: 10_000, maxTrailingLogs: 250, deadServerMs: 30_000 };

interface PeerRow {
  readonly name: string;
  readonly membership: string;
  readonly matchIndex: number;
  readonly leader: boolean;
  /** Milliseconds since the leader last heard from it; -1 if never (absent: unknown). */
  readonly lastContactMs?: number;
}

/**
 * Why autopilot did not follow gossip: a member gossip says failed or left was heard from over
 * Raft within the dead server time, or a learner gossip says alive cannot be reached by the
 * leader (or was not heard from lately) and is not promoted.
 */
type AutopilotOverruled = 'gossip_dead_but_heard_over_raft' | 'learner_not_reachable';

export interface AutopilotDeps {
  isLeader(): boolean;
  raftPeers(): readonly PeerRow[];
  lastIndex(): number;
  members(): readonly MemberView[];
  proposeConfChange(cc: ConfChange, deadline: Deadline): Promise<void>;
  /**
   * Whether the leader's own connection to the server's peer address is up (the leader reached
   * it, not only heard from something claiming its name). Absent: not checked (tests).
   */
  reachable?(name: string): boolean;
  readonly datacenter: string;
  /** This Raft cluster's id: a server gossip shows as belonging to another cluster is left alone. */
  readonly clusterId?: string;
  readonly logger: Logger;
  /** Monotonic milliseconds (tests inject their own). */
  readonly now?: () => number;
  /**
   * Whether a server gossip shows really is that server (with TLS: a handshake at its peer
   * address shows its certificate): the reason when not. Without it, gossip is believed.
   */
  readonly proveServer?: (name: string, peerAddr: string) => Promise<string | undefined>;
}

/** How long a server that did not prove who it is waits before autopilot asks it again. */
export const UNPROVEN_RETRY_MS = 30_000;

/** What one round decided (for tests and logs). */
export type AutopilotAction = { readonly kind: 'add-learner' | 'promote' | 'remove'; readonly name: string } | undefined;

/**
 * Consul's autopilot, on the leader: a server that gossip shows but Raft does not know is added
 * as a learner (non-voting, so a slow newcomer cannot stall commits); a learner that has caught
 * up and stayed healthy for the stabilization time becomes a voter; a server gossip has declared
 * failed (or that left) is removed after a grace time, but only if the voters left behind still
 * have a healthy majority. One change per round: Raft allows one membership change at a time.
 *
 * Gossip is news anyone on the network can send (no encryption yet), so it never decides alone
 * what Raft can see for itself: a member the leader has heard from over Raft within the dead
 * server time is not dead, whatever gossip says (a forged DEAD or leave removed a healthy voter
 * in under a second); a learner is promoted only when the leader's own replication has caught
 * it up, the leader heard from it lately and reaches its peer address itself (a forged ALIVE
 * plus something acknowledging appends under that name made a voter of nothing); and a learner
 * the leader has not reached for the dead server time is removed, whatever gossip says.
 */
export class Autopilot {
  /**
   * When each learner's stabilization wait began: it starts when the server is a learner and
   * healthy in gossip, and begins again if it leaves the Raft membership, turns unhealthy or
   * comes back with a new gossip incarnation (restarted), so a server re-added under the same
   * name waits the full time again instead of inheriting its earlier life's clock.
   */
  private readonly stableSince = new Map<string, { since: number; incarnation: number }>();
  private readonly failedSince = new Map<string, number>();
  /**
   * Gossip news autopilot did not act on because Raft says otherwise (`reason` of
   * roster_dropped_total{site="autopilot"}), by member: counted once per episode, not per round.
   */
  private readonly overruled = new Map<string, AutopilotOverruled>();
  /** Since when the leader has not reached each learner (reachable() false). */
  private readonly unreachableSince = new Map<string, number>();
  /** Servers of another Raft cluster seen in the pool (warned about once). */
  private readonly foreign = new Set<string>();
  /**
   * Servers that failed to prove who they are, until when they are passed over: one that cannot
   * (forged news, a wrong certificate) must not hold up every other change round after round.
   */
  private readonly unproven = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private busy = false;

  constructor(
    private readonly d: AutopilotDeps,
    private readonly cfg: AutopilotConfig = AUTOPILOT_DEFAULTS,
  ) {}

  start(everyMs = 1000): void {
    this.timer = setInterval(() => void this.round(), everyMs);
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
  }

  /** One pass; returns the change it made, if any. */
  async round(): Promise<AutopilotAction> {
    if (this.busy || !this.d.isLeader()) return undefined;
    this.busy = true;
    try {
      const action = this.decide();
      if (action === undefined) return undefined;
      const deadline = deadlineIn(5000);
      const m = this.d.members().find((x) => x.name === action.name);
      const node = nodeId(action.name);
      if (action.kind === 'add-learner') {
        const unproven = await this.d.proveServer?.(action.name, m!.meta.rpcAddr);
        if (unproven !== undefined) {
          this.unproven.set(action.name, (this.d.now ?? monotonicClock.now)() + UNPROVEN_RETRY_MS);
          // Counted, and logged at the 1st, 2nd, 4th... time: forged news must not flood the log.
          noteDropped(this.d.logger, 'autopilot', 'unproven_server', `not adding ${action.name}, which gossip shows but did not prove who it is: ${unproven}`, { server: action.name, peerAddr: m!.meta.rpcAddr });
          return undefined;
        }
      }
      if (action.kind === 'add-learner') await this.d.proposeConfChange({ type: 'addLearner', node, context: encodeConfChangeContext({ peerAddr: m!.meta.rpcAddr }) }, deadline);
      else if (action.kind === 'promote') await this.d.proposeConfChange({ type: 'addVoter', node }, deadline);
      else await this.d.proposeConfChange({ type: 'removeNode', node }, deadline);
      this.d.logger.info('autopilot changed the raft membership', { action: action.kind, server: action.name });
      return action;
    } catch (err) {
      this.d.logger.warn('autopilot could not change the raft membership (retried next round)', { error: err instanceof Error ? err.message : String(err) });
      return undefined;
    } finally {
      this.busy = false;
    }
  }

  private decide(): AutopilotAction {
    const now = (this.d.now ?? monotonicClock.now)();
    this.overruledThisRound.clear();
    const action = this.decideAt(now);
    for (const name of this.overruled.keys()) if (!this.overruledThisRound.has(name)) this.overruled.delete(name);
    return action;
  }

  private readonly overruledThisRound = new Set<string>();

  /** Counts (once per episode) and logs gossip news not acted on. */
  private overrule(name: string, reason: AutopilotOverruled, why: string): void {
    this.overruledThisRound.add(name);
    if (this.overruled.get(name) === reason) return;
    this.overruled.set(name, reason);
    noteDropped(this.d.logger, 'autopilot', reason, why, { server: name });
  }

  private decideAt(now: number): AutopilotAction {
    const servers = new Map(this.d.members().filter((m) => m.meta.role === 'server' && m.meta.datacenter === this.d.datacenter).map((m) => [m.name, m]));
    const peers = this.d.raftPeers().filter((p) => p.membership !== 'leaving');
    const inRaft = new Set(peers.map((p) => p.name));
    for (const [name, m] of servers) {
      if (m.state === 'alive' || m.state === 'suspect') this.failedSince.delete(name);
      else if (!this.failedSince.has(name)) this.failedSince.set(name, now);
    }
    this.trackStability(peers, servers, now);
    // 1. Dead servers out first: they weigh on the quorum.
    const voters = peers.filter((p) => p.membership === 'voter');
    const healthy = (name: string): boolean => servers.get(name)?.state === 'alive' || servers.get(name)?.state === 'suspect';
    for (const p of peers) {
      if (p.leader) continue;
      const m = servers.get(p.name);
      if (m === undefined || healthy(p.name)) continue;
      const since = this.failedSince.get(p.name) ?? now;
      if (m.state !== 'left' && now - since < this.cfg.deadServerMs) continue;
      if (this.heardOverRaft(p)) {
        this.overrule(p.name, 'gossip_dead_but_heard_over_raft', `gossip says ${p.name} is ${m.state}, but the leader heard from it over raft ${String(p.lastContactMs)} ms ago`);
        continue;
      }
      if (p.membership === 'voter') {
        const remaining = voters.filter((v) => v.name !== p.name);
        const healthyLeft = remaining.filter((v) => v.leader || healthy(v.name)).length;
        if (healthyLeft < Math.floor(remaining.length / 2) + 1) continue;
      }
      return { kind: 'remove', name: p.name };
    }
    // Learners the leader cannot reach: out, whatever gossip says (a learner holds no quorum).
    const lost = this.unreachableLearner(peers, now);
    if (lost !== undefined) return { kind: 'remove', name: lost };
    // 2. Servers gossip knows and Raft does not: add as learners.
    for (const [name, m] of servers) {
      if (m.state !== 'alive' || inRaft.has(name) || m.meta.rpcAddr === '') continue;
      if ((this.unproven.get(name) ?? -Infinity) > now) continue;
      // A server still deciding whether to found announces a founding token, not a cluster yet.
      const theirs = (m.meta.clusterId ?? '').startsWith(FOUNDING_TOKEN_PREFIX) ? '' : (m.meta.clusterId ?? '');
      if (theirs !== '' && this.d.clusterId !== undefined && theirs !== this.d.clusterId) {
        if (!this.foreign.has(name)) this.d.logger.warn('a server of another raft cluster is in this gossip pool; not adding it (give each cluster its own --cluster-name)', { server: name, itsCluster: theirs });
        this.foreign.add(name);
        continue;
      }
      return { kind: 'add-learner', name };
    }
    // 3. Learners caught up and stable: promote.
    const last = this.d.lastIndex();
    for (const p of peers) {
      // A learner the leader has never heard from is not caught up, whatever its match index says.
      if (p.membership !== 'learner' || !healthy(p.name) || p.matchIndex === 0 || (p.lastContactMs ?? 0) < 0) continue;
      if ((p.lastContactMs ?? 0) > PROMOTE_CONTACT_MS || this.d.reachable?.(p.name) === false) {
        this.overrule(p.name, 'learner_not_reachable', `learner ${p.name} is caught up, but the leader does not reach its peer address or has not heard from it lately (${String(p.lastContactMs)} ms)`);
        continue;
      }
      const since = this.stableSince.get(p.name)?.since ?? now;
      if (now - since >= this.cfg.stabilizationMs && p.matchIndex + this.cfg.maxTrailingLogs >= last) return { kind: 'promote', name: p.name };
    }
    return undefined;
  }

  /**
   * Whether the leader heard from `p` over Raft within the dead server time: then it is not dead,
   * whatever gossip says. (Without TLS a forger could also send Raft messages under its name, but
   * only from the IP of its peer address: the peer port checks the source, peer-source.ts.)
   */
  private heardOverRaft(p: PeerRow): boolean {
    return p.lastContactMs !== undefined && p.lastContactMs >= 0 && p.lastContactMs < this.cfg.deadServerMs;
  }

  /** A learner the leader has not reached for the dead server time, if any. */
  private unreachableLearner(peers: readonly PeerRow[], now: number): string | undefined {
    if (this.d.reachable === undefined) return undefined;
    const reachable = (name: string): boolean => this.d.reachable?.(name) !== false;
    const learners = new Set(peers.filter((p) => p.membership === 'learner').map((p) => p.name));
    for (const name of this.unreachableSince.keys()) if (!learners.has(name)) this.unreachableSince.delete(name);
    for (const name of learners) {
      if (reachable(name)) this.unreachableSince.delete(name);
      else if (!this.unreachableSince.has(name)) this.unreachableSince.set(name, now);
    }
    for (const [name, since] of this.unreachableSince) if (now - since >= this.cfg.deadServerMs) return name;
    return undefined;
  }

  private trackStability(peers: readonly PeerRow[], servers: ReadonlyMap<string, MemberView>, now: number): void {
    const learners = new Set(peers.filter((p) => p.membership === 'learner').map((p) => p.name));
    for (const name of this.stableSince.keys()) if (!learners.has(name)) this.stableSince.delete(name);
    for (const name of learners) {
      const m = servers.get(name);
      const healthy = m !== undefined && (m.state === 'alive' || m.state === 'suspect');
      const seen = this.stableSince.get(name);
      if (!healthy) this.stableSince.delete(name);
      else if (seen === undefined || seen.incarnation !== m.incarnation) this.stableSince.set(name, { since: now, incarnation: m.incarnation });
    }
  }
}
