import { resolveGossipConfig, type GossipConfig } from '../../../src/gossip/config.js';
import { GossipNode, type MemberEvent } from '../../../src/gossip/gossip-node.js';
import type { GossipMessage, MemberMeta } from '../../../src/gossip/messages.js';
import { seededRng, type Rng } from '../../../src/util/rng.js';
import { EventQueue } from '../event-queue.js';

/** A member as the world runs it: the core, its address, and the faults applied to it. */
export interface SimMember {
  readonly name: string;
  readonly addr: string;
  node: GossipNode;
  up: boolean;
  /**
   * Starved of CPU: each message it receives is handled up to this many ms late (uniformly), and
   * what its timers send leaves up to this late; an answer goes out as soon as the late read is
   * handled. So it answers a probe up to slowMs later than a healthy member would.
   */
  slowMs: number;
  /** The time its next tick is due (ticks at other times are stale and skipped). */
  tickAt: number;
}

/** Sees every output of every member, after its events are recorded (for measurements). */
export type WorldObserver = (m: SimMember, out: ReturnType<GossipNode['tick']>) => void;

type WorldEvent = { kind: 'tick'; name: string; at: number } | { kind: 'deliver'; from: string; to: string; msg: GossipMessage } | { kind: 'call'; fn: () => void };

export interface WorldOptions {
  readonly seed: number;
  readonly config?: Partial<GossipConfig>;
  /** Probability that a UDP packet is lost (TCP is reliable, but not across a partition). */
  readonly loss?: number;
  /** One-way delay range in ms. */
  readonly delayMs?: readonly [number, number];
}

/** Every membership event any member reported, with who saw it. */
export interface SeenEvent extends MemberEvent {
  readonly observer: string;
}

const META = (i: number): MemberMeta => ({ role: 'client', datacenter: 'dc1', rpcAddr: `10.0.${i >> 8}.${i & 255}:8400`, apiAddr: `10.0.${i >> 8}.${i & 255}:8500`, version: '0.1.0' });

/**
 * A deterministic world of gossip members on one simulated clock: packets are delayed, lost,
 * cut by partitions; members crash, restart, leave and are starved of CPU. One seed drives every
 * random choice, the members' included, so a run replays exactly.
 */
export class GossipWorld {
  readonly members = new Map<string, SimMember>();
  private readonly byAddr = new Map<string, SimMember>();
  readonly events: SeenEvent[] = [];
  private readonly queue = new EventQueue<WorldEvent>();
  private readonly rng: Rng;
  readonly config: GossipConfig;
  private readonly loss: number;
  private readonly delay: readonly [number, number];
  /** Members in different groups cannot reach each other. */
  private group = new Map<string, number>();
  private readonly blocked = new Set<string>();
  now = 0;
  /** Called with every output of every member (after its events are recorded): for measurements. */
  readonly observers = new Set<WorldObserver>();
  packetsSent = 0;

  constructor(o: WorldOptions) {
    this.rng = seededRng(o.seed);
    this.config = resolveGossipConfig(o.config);
    this.loss = o.loss ?? 0;
    this.delay = o.delayMs ?? [1, 5];
  }

  addrOf(i: number): string {
    return `m${i}:7946`;
  }

  /** Starts member `name` (a new process: fresh core, incarnation 1) and joins it through `seeds`. */
  start(name: string, seeds: readonly string[] = []): SimMember {
    const i = Number(name.replace(/\D/g, '')) || 0;
    const addr = this.addrOf(i);
    const node = new GossipNode({ name, addr, meta: META(i), config: this.config, rng: this.rng.fork(), now: this.now });
    const m: SimMember = { name, addr, node, up: true, slowMs: this.members.get(name)?.slowMs ?? 0, tickAt: Infinity };
    this.members.set(name, m);
    this.byAddr.set(addr, m);
    this.emit(m, node.join(seeds, this.now));
    this.schedule(m);
    return m;
  }

  /** kill -9: the member stops answering, at once. */
  crash(name: string): void {
    const m = this.members.get(name)!;
    m.up = false;
  }

  leave(name: string): void {
    const m = this.members.get(name)!;
    this.emit(m, m.node.leave(this.now));
    this.schedule(m);
  }

  /** An operator's force-leave of `about`, run on member `on`. */
  forceLeave(on: string, about: string): void {
    const m = this.members.get(on)!;
    this.emit(m, m.node.forceLeave(about, this.now));
    this.schedule(m);
  }

  /** Splits the members into groups (by a function of the name); heal() joins them again. */
  partition(groupOf: (name: string) => number): void {
    this.group = new Map([...this.members.keys()].map((n) => [n, groupOf(n)]));
  }

  heal(): void {
    this.group.clear();
    this.blocked.clear();
  }

  /** Drops every packet between two members, both ways (a broken route, not a partition). */
  blockLink(a: string, b: string): void {
    this.blocked.add(`${a}|${b}`).add(`${b}|${a}`);
  }

  /** Sends what a member's core produced outside tick/receive (leave, updateMeta). */
  emitFrom(name: string, out: ReturnType<GossipNode['tick']>): void {
    const m = this.members.get(name)!;
    this.emit(m, out);
    this.schedule(m);
  }

  at(time: number, fn: () => void): void {
    this.queue.push(time, { kind: 'call', fn });
  }

  /** Runs every event up to `until` (ms of simulated time). */
  runUntil(until: number): void {
    this.runUntilTrue(() => false, until, Infinity);
  }

  /** Runs until `done()` holds (checked after each event) or `until`; returns when it held, or undefined. */
  runUntilTrue(done: () => boolean, until: number, checkEveryMs = 10): number | undefined {
    let nextCheck = this.now;
    for (;;) {
      const next = this.queue.peekTime();
      if (next === undefined || next > until) break;
      const { at, event } = this.queue.pop()!;
      this.now = Math.max(this.now, at);
      this.handle(event);
      if (this.now >= nextCheck) {
        nextCheck = this.now + checkEveryMs;
        if (done()) return this.now;
      }
    }
    this.now = until;
    return done() ? this.now : undefined;
  }

  /** Does every live member (other than those in `except`) see `name` in `state`? */
  allSee(name: string, states: readonly string[], except: ReadonlySet<string> = new Set()): boolean {
    for (const m of this.members.values()) {
      if (!m.up || m.name === name || except.has(m.name) || m.node.member(m.name)?.state === 'left') continue;
      const seen = m.node.member(name)?.state;
      if (seen === undefined || !states.includes(seen)) return false;
    }
    return true;
  }

  private handle(e: WorldEvent): void {
    if (e.kind === 'call') return e.fn();
    if (e.kind === 'tick') {
      const m = this.members.get(e.name);
      if (m === undefined || !m.up || m.tickAt !== e.at) return;
      m.tickAt = Infinity;
      this.emit(m, m.node.tick(this.now), true);
      this.schedule(m);
      return;
    }
    const to = this.members.get(e.to);
    if (to === undefined || !to.up) return;
    this.emit(to, to.node.receive(e.from, e.msg, this.now));
    this.schedule(to);
  }

  private schedule(m: SimMember): void {
    if (!m.up) return;
    // Ticks at the core's next deadline, but at least every 50 ms: a real driver's timer.
    const at = Math.max(this.now + 1, Math.min(m.node.nextDeadline(), this.now + 50));
    if (at >= m.tickAt) return;
    m.tickAt = at;
    this.queue.push(at, { kind: 'tick', name: m.name, at });
  }

  private emit(from: SimMember, out: ReturnType<GossipNode['tick']>, fromTimer = false): void {
    for (const ev of out.events) this.events.push({ ...ev, observer: from.name });
    for (const o of this.observers) o(from, out);
    for (const p of out.packets) {
      const to = this.byAddr.get(p.to);
      this.packetsSent++;
      if (to === undefined) continue;
      if ((this.group.get(from.name) ?? 0) !== (this.group.get(to.name) ?? 0) || this.blocked.has(`${from.name}|${to.name}`)) continue;
      if (p.channel === 'udp' && this.rng.chance(this.loss)) {
        continue;
      }
      const [lo, hi] = this.delay;
      let delay = lo + this.rng.next() * (hi - lo);
      // A starved process is late to read what arrives, and its timers fire late; what it writes
      // while handling a message (an ack) leaves at once, since it is running then.
      if (from.slowMs > 0 && fromTimer) delay += this.rng.next() * from.slowMs;
      if (to.slowMs > 0) delay += this.rng.next() * to.slowMs;
      this.queue.push(this.now + delay, { kind: 'deliver', from: from.addr, to: to.name, msg: p.msg });
    }
  }
}
