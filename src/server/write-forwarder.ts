import type { ProposeResult } from '../raft/index.js';
import { isCommandTag, splitCommandBody, unwrapEntry } from '../store/envelope.js';
import { noteDropped } from '../util/dropped.js';
import { RosterError } from '../util/errors.js';
import { NO_NODE, type NodeId } from '../util/ids.js';
import type { Logger } from '../util/logger.js';
import type { RequestTracker } from './request-tracker.js';

/**
 * After the connection to the leader breaks, how long a write handed to it may still be placed
 * by its word: the placement is sent as soon as it proposes, on its own stream to us, so a
 * leader that is alive and got the write answers well within this.
 */
const CONNECTION_LOSS_GRACE_MS = 100;

/** What the forwarder needs of its server: the Raft node, the peer transport, its waiters. */
export interface WriteForwarderDeps<T> {
  /** This server's name (a joiner's identity is settled after construction). */
  self(): NodeId;
  logger(): Logger;
  readonly requests: RequestTracker<T>;
  leader(): NodeId;
  /** Proposes these entries if this server is the leader and can write its log. */
  proposeAsLeader(entries: Uint8Array[]): ProposeResult | undefined;
  sendProposals(to: NodeId, data: readonly Uint8Array[]): boolean;
  refuseProposals(to: NodeId, ids: readonly Uint8Array[], leaderHint: NodeId): void;
  acceptProposals(to: NodeId, ids: readonly Uint8Array[], index: number, term: number): void;
  clientAddrOf(id: NodeId): string | undefined;
  kick(): void;
}

/**
 * Client writes a follower hands to its leader, and the leader's side of that exchange. Writes
 * of one event-loop turn go in one message; the leader proposes them and says where they are in
 * its log (or refuses them), so the follower can tell a write that is certainly not executed (a
 * refusal, never sent) from one whose fate a leader change leaves open.
 */
export class WriteForwarder<T> {
  /** Client writes to hand to the leader at the end of this event-loop turn, in one message. */
  private outbox: { data: Uint8Array; id: Uint8Array }[] = [];

  /**
   * @param placementGraceMs how long after a leader change a write handed to the old leader may
   *   still be placed by its word (sent before the change, it can arrive after the new leader's).
   */
  constructor(private readonly d: WriteForwarderDeps<T>, private readonly placementGraceMs: number) {}

  /** Queues one write (already waited for in `requests`, as forwarded) for the leader. */
  forward(data: Uint8Array, id: Uint8Array): void {
    this.outbox.push({ data, id });
    if (this.outbox.length === 1) setImmediate(() => this.flush());
  }

  /**
   * The leader changed: unsent writes are refused (never sent after all, so a client may send
   * them again); writes the old leader said it appended wait for their index; the rest (handed
   * over, not yet acknowledged) may or may not commit: "leader changed", as from etcd.
   */
  leaderChanged(leader: NodeId): void {
    const unsent = this.outbox.map((b) => b.id);
    this.outbox = [];
    this.d.requests.refused(unsent, this.notLeader('etcdserver: leader changed before the write was sent', leader));
    this.d.requests.failForwarded(new RosterError('LEADER_CHANGED', 'etcdserver: leader changed'), this.placementGraceMs);
  }

  /**
   * The connection to `peer` broke (a leader killed, a connection reset). When it is the
   * leader, the writes handed to it and not yet placed may or may not have reached it: they fail
   * as "leader changed" (the same uncertainty), after a short wait for its word on any it did
   * get, instead of hanging until an election says so or the client's deadline passes; the
   * client retries them, on the next leader once there is one (until then a new write fails at
   * once with UNAVAILABLE: the stream to a dead leader cannot be opened).
   */
  connectionLost(peer: NodeId): void {
    if (peer !== this.d.leader() || peer === this.d.self()) return;
    // etcd's own words: clients recognise "etcdserver: leader changed" as ambiguous.
    this.d.logger().debug('lost the connection to the leader: the writes handed to it fail as "leader changed"', { leader: peer });
    this.d.requests.failForwarded(new RosterError('LEADER_CHANGED', 'etcdserver: leader changed'), CONNECTION_LOSS_GRACE_MS, peer);
  }

  /** The leader appended what we handed it (believed only from the server we handed it to). */
  accepted(from: NodeId, ids: readonly Uint8Array[], index: number, term: number): void {
    this.d.requests.placedAt(index, term, ids, from);
  }

  /** The server we handed writes to is not the leader: refused, `hint` is the leader it knows. */
  refused(ids: readonly Uint8Array[], hint: string): void {
    this.d.requests.refused(ids, this.notLeader('etcdserver: not leader', hint as NodeId));
  }

  /** Client writes a follower handed over (or our own): proposed in one batch, or refused. */
  received(from: NodeId, data: readonly Uint8Array[]): void {
    const valid: Uint8Array[] = [];
    const ids: Uint8Array[] = [];
    for (const d of data) {
      try {
        const env = unwrapEntry(d);
        if (env === undefined || !isCommandTag(env.tag)) {
          noteDropped(this.d.logger(), 'forwarded-proposals', 'not-a-client-write', 'only client writes are handed over this way', { from });
          continue;
        }
        ids.push(splitCommandBody(env.body).requestId.slice());
        valid.push(d);
      } catch (err) {
        // Malformed: dropped (its sender times out), logged and counted.
        noteDropped(this.d.logger(), 'forwarded-proposals', 'malformed', err, { from });
      }
    }
    if (valid.length === 0) return;
    const res = this.d.proposeAsLeader(valid);
    if (res === undefined || !res.ok) {
      if (from === this.d.self()) this.d.requests.refused(ids, new RosterError('NO_LEADER', 'etcdserver: no leader', { leader: this.d.leader() }));
      else this.d.refuseProposals(from, ids, this.d.leader());
      return;
    }
    if (from === this.d.self()) ids.forEach((id, i) => this.d.requests.proposedAt(res.index + i, res.term, id));
    else this.d.acceptProposals(from, ids, res.index, res.term);
    this.d.kick();
  }

  private flush(): void {
    const batch = this.outbox;
    this.outbox = [];
    if (batch.length === 0) return;
    const leader = this.d.leader();
    const ids = batch.map((b) => b.id);
    if (leader === NO_NODE) {
      this.d.requests.refused(ids, new RosterError('NO_LEADER', 'etcdserver: no leader', { leader: '', leaderAddr: '' }));
      return;
    }
    if (leader === this.d.self()) {
      this.received(this.d.self(), batch.map((b) => b.data));
      return;
    }
    this.d.requests.sent(ids, leader);
    if (!this.d.sendProposals(leader, batch.map((b) => b.data))) {
      this.d.requests.refused(ids, new RosterError('UNAVAILABLE', `etcdserver: cannot reach the leader ${leader}`, { leader, leaderAddr: this.d.clientAddrOf(leader) ?? '' }));
    }
  }

  private notLeader(message: string, leader: NodeId): RosterError {
    return new RosterError('NOT_LEADER', message, { leader, leaderAddr: leader === NO_NODE ? '' : (this.d.clientAddrOf(leader) ?? '') });
  }
}
