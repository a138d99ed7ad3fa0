import type { Rng } from '../util/rng.js';
import { Awareness } from './awareness.js';
import { BuriedNotices } from './buried-notices.js';
import { BroadcastQueue } from './broadcast-queue.js';
import { suspicionBoundsMs, suspicionConfirmations, type GossipConfig } from './config.js';
import { withinIncarnationBounds, type DroppedNews } from './incarnation-bounds.js';
import { MemberTable, type Member, type MemberView } from './member-table.js';
import { MESSAGE_OVERHEAD_BYTES, newsBytes, sameMeta, type GossipMessage, type MemberMeta, type MemberRecord, type News, type Packet } from './messages.js';
import { pushPullIntervalMs, retransmitLimit } from './scaling.js';
import { SeedJoin } from './seed-join.js';
import type { GossipNodeOptions, GossipOutput, MemberEvent, MemberEventType, ProbeRound, Relay } from './gossip-node-types.js';
import { Suspicion, type SuspicionView } from './suspicion.js';

/** The most senders of stale news this member answers directly within one probe interval. */
const MAX_STALE_SENDERS = 64;

export type { GossipNodeOptions, GossipOutput, MemberEvent, MemberEventType } from './gossip-node-types.js';

/**
 * One member of the gossip pool: SWIM's failure detector and dissemination with the Lifeguard
 * extensions, as a pure state machine. Time comes in as `now` (milliseconds, any origin),
 * randomness from the injected Rng, messages through receive(); every effect goes out as packets
 * and events in the returned GossipOutput. The driver calls tick() at least every few tens of
 * milliseconds (or at nextDeadline()).
 *
 * - Probing: one member per (awareness-scaled) interval in shuffled round-robin; no ack within
 *   the probe timeout brings indirect probes through `indirectChecks` others; no ack by the end
 *   of the interval makes the target suspect.
 * - Suspicion: a suspect that does not refute (with a higher incarnation) within the suspicion
 *   timeout is declared dead. With Lifeguard the timeout starts long and shrinks as other members
 *   independently suspect it; a suspected member hears it first from its prober (buddy system).
 * - Dissemination: news rides on every probe, ack and gossip message, each piece sent a bounded
 *   number of times; a periodic full-state push-pull over TCP repairs anything gossip missed.
 * - Joining: push-pulls with the seeds, retried until one completes, and later one with a seed
 *   outside the pool each round, so pools that formed apart merge (SeedJoin).
 */
export class GossipNode {
  private readonly cfg: GossipConfig;
  private readonly table: MemberTable;
  private readonly queue = new BroadcastQueue();
  private readonly awareness: Awareness;
  private readonly me: Member;
  private seq = 0;
  private failedProbes = 0;
  private probe: ProbeRound | undefined;
  private readonly relays = new Map<number, Relay>();
  private nextProbeAt: number;
  private nextGossipAt: number;
  private nextPushPullAt: number;
  private nextReconnectAt: number;
  private leaving = false;
  private out: { packets: Packet[]; events: MemberEvent[]; joinedSeed: string | undefined; dropped: DroppedNews | undefined } = { packets: [], events: [], joinedSeed: undefined, dropped: undefined };
  private readonly rng: Rng;
  private readonly seeds = new SeedJoin();
  /** Set while reading a message that carried suspicion or death news older than our incarnation. */
  private heardStaleNews = false;
  /** Whom we told we are alive after they sent stale news, when, and at which incarnation. */
  private readonly staleSenders = new Map<string, { at: number; incarnation: number }>();
  private readonly buried = new BuriedNotices();
  private reannouncedAt = -Infinity;
  /** How many times news is retransmitted (scales with live members), refreshed on membership changes rather than counted per message. */
  private retransmits = 0;
  /** Messages dropped as not meant for this member (a ping for another name at this address). */
  misdirected = 0;

  constructor(o: GossipNodeOptions) {
    this.cfg = o.config;
    this.rng = o.rng;
    this.awareness = new Awareness(o.config.awarenessMaxMultiplier);
    this.table = new MemberTable(o.name, o.rng);
    this.me = { name: o.name, addr: o.addr, incarnation: 1, state: 'alive', meta: o.meta, stateChangedAt: o.now, suspicion: undefined };
    this.table.add(this.me);
    this.refreshRetransmits();
    this.queue.enqueue(this.aliveNews(this.me));
    // Members started together should not probe in lockstep.
    this.nextProbeAt = o.now + o.rng.int(o.config.probeIntervalMs);
    this.nextGossipAt = o.now + o.rng.int(o.config.gossipIntervalMs);
    this.nextPushPullAt = o.now + o.config.pushPullIntervalMs;
    this.nextReconnectAt = o.now + o.config.reconnectIntervalMs;
  }

  get incarnation(): number {
    return this.me.incarnation;
  }

  /** Probes of this member that got no ack, directly or through others (its target then suspected). */
  get probeFailures(): number {
    return this.failedProbes;
  }

  /** Lifeguard's local health score: 0 is healthy; each point stretches this member's timeouts. */
  get healthScore(): number {
    return this.awareness.score;
  }

  /** Rounds of push-pull requests sent to the join seeds: the first attempt and every retry. */
  get joinAttempts(): number {
    return this.seeds.rounds;
  }

  /** True while join() was given seeds and no push-pull with any of them has completed yet. */
  get joinPending(): boolean {
    return this.seeds.pending;
  }

  /** News still waiting to be gossiped (a leaving member waits for this to drain). */
  get pendingNews(): number {
    return this.queue.size;
  }

  members(): MemberView[] {
    return [...this.table.all()].map(({ suspicion: _s, ...m }) => m);
  }

  member(name: string): MemberView | undefined {
    const m = this.table.get(name);
    if (m === undefined) return undefined;
    const { suspicion: _s, ...view } = m;
    return view;
  }

  /** The suspicion this member holds about `name`, if it suspects it (read-only; for inspection). */
  suspicionOf(name: string): SuspicionView | undefined {
    return this.table.get(name)?.suspicion?.view();
  }

  /**
   * Asks each seed (host:port) for its full state over TCP; their answers bring the pool. Asked
   * again with back-off until a push-pull with one of them completes (see SeedJoin).
   */
  join(seeds: readonly string[], now: number): GossipOutput {
    this.seeds.start(seeds, this.me.addr, now);
    this.joinRound(now);
    return this.flush();
  }

  /**
   * A push-pull request carrying this member's full state, as a join sends it: for an operator's
   * join to one address (Consul's /v1/agent/join), whose answer is given to receive().
   */
  pushPullRequest(): GossipMessage {
    return this.pushPull(true, false);
  }

  /**
   * Serf's force-leave: a member this one holds failed is declared left, here and, as news, in
   * the pool (the servers then deregister it instead of keeping it critical). Nothing happens to
   * a member not held failed: a live one would refute it at once.
   */
  forceLeave(name: string, now: number): GossipOutput {
    const m = this.table.get(name);
    if (m !== undefined && m !== this.me && m.state === 'dead') this.onDead({ kind: 'dead', name, incarnation: m.incarnation, from: name }, now);
    return this.flush();
  }

  /** Announces a graceful leave: others mark this member left, not failed. */
  leave(now: number): GossipOutput {
    if (!this.leaving) {
      this.leaving = true;
      this.probe = undefined;
      this.seeds.stop();
      this.me.state = 'left';
      this.me.stateChangedAt = now;
      this.refreshRetransmits();
      this.queue.enqueue({ kind: 'dead', name: this.me.name, incarnation: this.me.incarnation, from: this.me.name });
      // Tell a few members at once rather than waiting for the next gossip round.
      this.gossip(now);
    }
    return this.flush();
  }

  /** New metadata for this member, spread with a new incarnation. */
  updateMeta(meta: MemberMeta): GossipOutput {
    this.me.meta = meta;
    this.me.incarnation++;
    this.queue.enqueue(this.aliveNews(this.me));
    return this.flush();
  }

  /** The earliest moment tick() has something to do. */
  nextDeadline(): number {
    let t = Math.min(this.nextGossipAt, this.nextPushPullAt, this.nextReconnectAt, this.seeds.nextAt, this.leaving ? Infinity : this.nextProbeAt);
    if (this.probe !== undefined) t = Math.min(t, this.probe.indirect ? this.probe.endAt : this.probe.indirectAt);
    for (const r of this.relays.values()) t = Math.min(t, r.wantNack ? r.nackAt : r.deadline);
    for (const m of this.table.all()) if (m.suspicion !== undefined) t = Math.min(t, m.suspicion.deadline());
    return t;
  }

  tick(now: number): GossipOutput {
    this.advanceProbe(now);
    if (!this.leaving && this.probe === undefined && now >= this.nextProbeAt) {
      this.nextProbeAt = now + this.awareness.scale(this.cfg.probeIntervalMs);
      this.startProbe(now);
    }
    this.joinRound(now);
    this.expireRelays(now);
    this.expireSuspicions(now);
    if (now >= this.nextGossipAt) {
      this.nextGossipAt = now + this.cfg.gossipIntervalMs;
      this.gossip(now);
    }
    if (now >= this.nextPushPullAt) {
      this.nextPushPullAt = now + pushPullIntervalMs(this.cfg.pushPullIntervalMs, this.table.liveCount());
      const [peer] = this.table.random(1, (m) => m.state === 'alive');
      if (peer !== undefined) this.send(peer.addr, 'tcp', this.pushPull(false, false));
      // Two pools that formed apart (each member's join answered by a seed on its own side, or a
      // seed that was itself still alone) never meet otherwise: push-pull, gossip and reconnects
      // go only to members already known. So each round also tries one seed that is not a live
      // member of this pool; once the pools are one, every seed is, and this sends nothing.
      const seed = this.seeds.pending || this.leaving ? undefined : this.seeds.unmet((addr, name) => this.isLive(addr, name), this.rng);
      if (seed !== undefined) this.send(seed, 'tcp', this.pushPull(false, false));
    }
    if (now >= this.nextReconnectAt) {
      this.nextReconnectAt = now + this.cfg.reconnectIntervalMs;
      // A member that left said so; one that failed may be back, or behind a healed partition.
      const [dead] = this.table.random(1, (m) => m.state === 'dead');
      if (dead !== undefined && !this.leaving) this.send(dead.addr, 'tcp', this.pushPull(false, false));
    }
    this.reap(now);
    return this.flush();
  }

  /** A message from `from` (the sender's host:port; for TCP requests, where to answer); news no real member sends is dropped first (incarnation-bounds.ts). */
  receive(from: string, received: GossipMessage, now: number): GossipOutput {
    const { msg, dropped } = withinIncarnationBounds(received);
    this.out.dropped = dropped;
    if (msg.type === 'push-pull') {
      this.merge(msg.members, msg.from, now);
      // A full state carries our own record both ways: stale news in it needs no answer.
      this.heardStaleNews = false;
      // The transport answers a TCP request on its own connection.
      if (!msg.reply) this.send(from, 'tcp', this.pushPull(msg.join, true));
      else this.out.joinedSeed ??= this.seeds.answered(from, msg.from);
      return this.flush();
    }
    for (const n of msg.news) this.apply(n, now);
    // A member we hold as left is talking to us: tell it, so it can refute (buried-notices.ts).
    const notice = this.buried.due(msg.from === this.me.name ? undefined : this.table.get(msg.from), this.me.name, now, this.cfg.probeIntervalMs);
    if (notice !== undefined) this.send(notice.to, notice.channel, notice.msg);
    if (this.heardStaleNews) {
      this.heardStaleNews = false;
      // Answered at the sender's gossip address: `from` is a source port for a one-way TCP message.
      const sender = msg.from === this.me.name ? undefined : this.table.get(msg.from);
      this.reassertAlive(sender?.addr ?? from, now);
    }
    switch (msg.type) {
      case 'ping':
        if (msg.target !== this.me.name) this.misdirected++;
        else this.send(from, 'udp', { type: 'ack', seq: msg.seq, from: this.me.name, news: this.piggyback(0) });
        break;
      case 'indirect-ping': {
        const seq = ++this.seq;
        this.relays.set(seq, { requester: from, requesterSeq: msg.seq, nackAt: now + this.nackAfterMs(), deadline: now + this.cfg.probeTimeoutMs, wantNack: msg.wantNack });
        this.send(msg.targetAddr, 'udp', { type: 'ping', seq, target: msg.target, from: this.me.name, news: this.piggyback(0) });
        break;
      }
      case 'ack':
        this.onAck(msg.seq);
        break;
      case 'nack':
        if (this.probe !== undefined && this.probe.seq === msg.seq) this.probe.nacks++;
        break;
      case 'gossip':
        break;
    }
    return this.flush();
  }

  private onAck(seq: number): void {
    if (this.probe !== undefined && this.probe.seq === seq) {
      this.probe = undefined;
      if (this.cfg.lifeguard) this.awareness.apply(-1);
      return;
    }
    const relay = this.relays.get(seq);
    if (relay !== undefined) {
      this.relays.delete(seq);
      this.send(relay.requester, 'udp', { type: 'ack', seq: relay.requesterSeq, from: this.me.name, news: this.piggyback(0) });
    }
  }

  private startProbe(now: number): void {
    const target = this.table.nextProbeTarget();
    if (target === undefined) return;
    const seq = ++this.seq;
    // Buddy system: a suspect hears of its suspicion from its prober first, and can refute.
    const buddy: News[] = this.cfg.lifeguard && target.state === 'suspect' ? [{ kind: 'suspect', name: target.name, incarnation: target.incarnation, from: this.me.name }] : [];
    const reserved = buddy.reduce((s, n) => s + newsBytes(n), 0);
    this.send(target.addr, 'udp', { type: 'ping', seq, target: target.name, from: this.me.name, news: [...buddy, ...this.piggyback(reserved)] });
    this.probe = {
      target: target.name,
      seq,
      indirectAt: now + this.awareness.scale(this.cfg.probeTimeoutMs),
      endAt: now + this.awareness.scale(this.cfg.probeIntervalMs),
      indirect: false,
      nacks: 0,
      expectedNacks: 0,
    };
  }

  private advanceProbe(now: number): void {
    const p = this.probe;
    if (p === undefined) return;
    const target = this.table.get(p.target);
    if (target === undefined || target.state === 'dead' || target.state === 'left') {
      this.probe = undefined;
      return;
    }
    if (!p.indirect && now >= p.indirectAt) {
      p.indirect = true;
      const relays = this.table.random(this.cfg.indirectChecks, (m) => m.state === 'alive' && m.name !== p.target);
      for (const r of relays) {
        this.send(r.addr, 'udp', { type: 'indirect-ping', seq: p.seq, target: target.name, targetAddr: target.addr, wantNack: this.cfg.lifeguard, from: this.me.name, news: this.piggyback(0) });
      }
      p.expectedNacks = this.cfg.lifeguard ? relays.length : 0;
    }
    if (now < p.endAt) return;
    this.probe = undefined;
    this.failedProbes++;
    if (this.cfg.lifeguard) {
      // Missing nacks mean the relays could not reach us either: the trouble is likely ours, so
      // slow down. With nobody to ask, any failed probe counts against our own health.
      this.awareness.apply(p.expectedNacks > 0 ? Math.max(0, p.expectedNacks - p.nacks) : 1);
    }
    this.onSuspect({ kind: 'suspect', name: target.name, incarnation: target.incarnation, from: this.me.name }, now);
  }

  private expireRelays(now: number): void {
    for (const [seq, r] of this.relays) {
      if (r.wantNack && now >= r.nackAt) {
        r.wantNack = false;
        this.send(r.requester, 'udp', { type: 'nack', seq: r.requesterSeq, from: this.me.name, news: this.piggyback(0) });
      }
      if (now >= r.deadline) this.relays.delete(seq);
    }
  }

  /**
   * When a relay nacks: early enough for the nack to reach the requester before its probe ends.
   * The requester asks for help one probe timeout into its probe and gives up at the end of the
   * probe interval, so a relay that waited a full probe timeout would nack just after the probe
   * ended at the default 500 ms / 1 s: no nack ever counted, and every failed probe cost the
   * requester three points of health even with healthy relays. 80% of that window leaves room
   * for the two legs of the trip. (An ack is still relayed until the full probe timeout.)
   */
  private nackAfterMs(): number {
    return Math.floor(0.8 * Math.min(this.cfg.probeTimeoutMs, this.cfg.probeIntervalMs - this.cfg.probeTimeoutMs));
  }

  private expireSuspicions(now: number): void {
    // Map iteration tolerates onDead's changes: no copy of the whole table on every tick.
    for (const m of this.table.all()) {
      if (m.state === 'suspect' && m.suspicion !== undefined && now >= m.suspicion.deadline()) {
        this.onDead({ kind: 'dead', name: m.name, incarnation: m.incarnation, from: this.me.name }, now);
      }
    }
  }

  private gossip(now: number): void {
    if (this.queue.size === 0) return;
    const peers = this.table.random(this.cfg.gossipNodes, (m) => m.state === 'alive' || m.state === 'suspect' || (m.state === 'dead' && now - m.stateChangedAt < this.cfg.gossipToTheDeadMs));
    for (const p of peers) {
      const news = this.piggyback(0);
      if (news.length === 0) break;
      this.send(p.addr, 'udp', { type: 'gossip', from: this.me.name, news });
    }
  }

  private reap(now: number): void {
    for (const m of this.table.all()) {
      if (m !== this.me && (m.state === 'dead' || m.state === 'left') && now - m.stateChangedAt >= this.cfg.reapAfterMs) this.table.remove(m.name);
    }
  }

  private apply(n: News, now: number): void {
    if (n.kind === 'alive') this.onAlive(n, now);
    else if (n.kind === 'suspect') this.onSuspect(n, now);
    else this.onDead(n, now);
  }

  private onAlive(n: Extract<News, { kind: 'alive' }>, now: number): void {
    if (n.name === this.me.name) {
      // Someone believes a newer version of us: say who we are, newer still.
      if (n.incarnation > this.me.incarnation && !this.leaving) this.refute(n.incarnation);
      return;
    }
    const m = this.table.get(n.name);
    if (m === undefined) {
      const fresh: Member = { name: n.name, addr: n.addr, incarnation: n.incarnation, state: 'alive', meta: n.meta, stateChangedAt: now, suspicion: undefined };
      this.table.add(fresh);
      this.event('joined', fresh, now);
      this.queue.enqueue(n);
      return;
    }
    if (n.incarnation <= m.incarnation) return;
    // A live member does not move: another member claiming its name from elsewhere is refused
    // until the first is gone.
    if (n.addr !== m.addr && (m.state === 'alive' || m.state === 'suspect')) return;
    const before = m.state;
    const metaChanged = !sameMeta(m.meta, n.meta) || m.addr !== n.addr;
    m.incarnation = n.incarnation;
    m.meta = n.meta;
    m.addr = n.addr;
    m.suspicion = undefined;
    if (before !== 'alive') {
      m.state = 'alive';
      m.stateChangedAt = now;
      this.event(before === 'suspect' ? 'alive' : 'joined', m, now);
    } else if (metaChanged) {
      this.event('updated', m, now);
    }
    this.queue.enqueue(n);
  }

  private onSuspect(n: Extract<News, { kind: 'suspect' }>, now: number): void {
    if (n.name === this.me.name) {
      this.accused(n.incarnation);
      return;
    }
    const m = this.table.get(n.name);
    if (m === undefined || n.incarnation < m.incarnation || m.state === 'dead' || m.state === 'left') return;
    if (m.state === 'suspect' && n.incarnation === m.incarnation) {
      if (m.suspicion?.confirm(n.from, now) === true) this.queue.enqueue(n);
      return;
    }
    // Not suspected yet, or suspected at an older incarnation that the member has since refuted:
    // a new suspicion with its own timer (confirmations of the refuted one must not count here).
    const live = this.table.liveCount();
    const { minMs: min, maxMs: max } = suspicionBoundsMs(this.cfg, live);
    // Lifeguard's K, unless too few members are left to confirm (memberlist's rule).
    const k = suspicionConfirmations(this.cfg);
    const expected = this.cfg.lifeguard && live - 2 >= k ? k : 0;
    m.state = 'suspect';
    m.incarnation = n.incarnation;
    m.stateChangedAt = now;
    m.suspicion = new Suspicion(now, min, max, expected, n.from);
    this.event('suspect', m, now);
    this.queue.enqueue(n);
  }

  private onDead(n: Extract<News, { kind: 'dead' }>, now: number): void {
    if (n.name === this.me.name) {
      this.accused(n.incarnation);
      return;
    }
    const m = this.table.get(n.name);
    const leaving = n.from === n.name;
    // Dead and left are final at their incarnation, except that left is stronger than dead:
    // a member held failed may be declared left (force-leave), never the other way.
    if (m === undefined || n.incarnation < m.incarnation || m.state === 'left' || (m.state === 'dead' && !leaving)) return;
    m.incarnation = n.incarnation;
    m.state = leaving ? 'left' : 'dead';
    m.stateChangedAt = now;
    m.suspicion = undefined;
    this.event(m.state === 'left' ? 'left' : 'failed', m, now);
    this.queue.enqueue(n);
  }

  /**
   * News that we are suspect or dead (or left, while we are not leaving). At our incarnation or
   * above, it is new: refute it. Below, we refuted it already and the sender missed that: it
   * holds us suspect or dead at that older incarnation, and would until a push-pull happened to
   * pick us (a peer that missed every copy of the refutation declared a healthy member failed).
   */
  private accused(incarnation: number): void {
    if (this.leaving) return;
    if (incarnation >= this.me.incarnation) this.refute(incarnation);
    else this.heardStaleNews = true;
  }

  /**
   * Says again that we are alive, at our current incarnation, to `to` (which sent stale news)
   * and to the pool: no new incarnation, since nothing new happened, and none is needed: SWIM
   * takes alive news above the incarnation a member is held suspect or dead at, and stale news
   * is below ours. Told directly, the sender is corrected within the round trip, not when
   * gossip or a push-pull happens to reach it. Bounded, so stale news cannot make us flood: each
   * sender once per probe interval and incarnation (at most MAX_STALE_SENDERS of them), the
   * pool once per probe interval.
   */
  private reassertAlive(to: string, now: number): void {
    const last = this.staleSenders.get(to);
    if (last !== undefined && last.incarnation === this.me.incarnation && now - last.at < this.cfg.probeIntervalMs) return;
    if (last === undefined && this.staleSenders.size >= MAX_STALE_SENDERS) {
      for (const [addr, s] of this.staleSenders) if (now - s.at >= this.cfg.probeIntervalMs) this.staleSenders.delete(addr);
      if (this.staleSenders.size >= MAX_STALE_SENDERS) return;
    }
    this.staleSenders.set(to, { at: now, incarnation: this.me.incarnation });
    const alive = this.aliveNews(this.me);
    this.send(to, 'udp', { type: 'gossip', from: this.me.name, news: [alive] });
    if (now - this.reannouncedAt >= this.cfg.probeIntervalMs) {
      this.reannouncedAt = now;
      this.queue.enqueue(alive);
    }
  }

  /** Others suspect (or buried) us: we are alive, with an incarnation above theirs. */
  private refute(incarnation: number): void {
    this.me.incarnation = Math.max(this.me.incarnation, incarnation) + 1;
    this.queue.enqueue(this.aliveNews(this.me));
    // Lifeguard: being suspected suggests we have been slow to answer.
    if (this.cfg.lifeguard) this.awareness.apply(1);
  }

  /** Another member's full state: alive and left are taken as news; suspect and dead as suspicion. */
  private merge(records: readonly MemberRecord[], from: string, now: number): void {
    for (const r of records) {
      if (r.state === 'alive') {
        this.onAlive({ kind: 'alive', name: r.name, incarnation: r.incarnation, addr: r.addr, meta: r.meta }, now);
      } else if (r.state === 'left') {
        this.onDead({ kind: 'dead', name: r.name, incarnation: r.incarnation, from: r.name }, now);
      } else {
        // A member we never heard of is learned as alive first, so its suspicion can run here too.
        if (this.table.get(r.name) === undefined && r.state === 'suspect') this.onAlive({ kind: 'alive', name: r.name, incarnation: r.incarnation, addr: r.addr, meta: r.meta }, now);
        // Dead in another member's view is only suspect in ours: it must be able to refute. The
        // sender only says what it believes, perhaps from the same gossip we heard, so this is
        // no independent confirmation (Lifeguard) of a suspicion we already hold.
        const m = this.table.get(r.name);
        if (m !== undefined && m.state === 'suspect' && m.incarnation === r.incarnation) continue;
        this.onSuspect({ kind: 'suspect', name: r.name, incarnation: r.incarnation, from }, now);
      }
    }
  }

  /** A round of join requests when one is due: every seed asked at once. */
  private joinRound(now: number): void {
    if (now < this.seeds.nextAt) return;
    for (const addr of this.seeds.round(now)) this.send(addr, 'tcp', this.pushPull(true, false));
  }

  /** Whether a live member of our pool is at `addr`, or is named `name`. */
  private isLive(addr: string, name: string | undefined): boolean {
    const live = (m: Member | undefined): boolean => m !== undefined && (m.state === 'alive' || m.state === 'suspect');
    if (name !== undefined && live(this.table.get(name))) return true;
    for (const m of this.table.all()) if (m.addr === addr && live(m)) return true;
    return false;
  }

  private pushPull(join: boolean, reply: boolean): GossipMessage {
    return { type: 'push-pull', from: this.me.name, join, reply, members: this.table.records() };
  }

  private piggyback(reservedBytes: number): News[] {
    return this.queue.take(this.cfg.packetBytes - MESSAGE_OVERHEAD_BYTES - reservedBytes, this.retransmits);
  }

  private refreshRetransmits(): void {
    this.retransmits = retransmitLimit(this.cfg.retransmitMult, this.table.liveCount());
  }

  private aliveNews(m: Member): News {
    return { kind: 'alive', name: m.name, incarnation: m.incarnation, addr: m.addr, meta: m.meta };
  }

  private send(to: string, channel: 'udp' | 'tcp', msg: GossipMessage): void {
    this.out.packets.push({ to, channel, msg });
  }

  /** Every change of a member's state goes through here (and leave()): the live count may have moved. */
  private event(type: MemberEventType, m: Member, at: number): void {
    this.refreshRetransmits();
    const { suspicion: _s, ...member } = m;
    this.out.events.push({ type, member, at });
  }

  private flush(): GossipOutput {
    const o = this.out;
    this.out = { packets: [], events: [], joinedSeed: undefined, dropped: undefined };
    return o;
  }
}
