import type { Member } from './member-table.js';
import type { Packet } from './messages.js';

/**
 * What to tell a member we hold as left when it talks to us: it is alive and does not know,
 * since nobody gossips to, probes or push-pulls with a member that left (one held failed is
 * still reached: gossip to the dead for a while, push-pull to reconnect). Told, it refutes at
 * once. Untold, a forged leave (DEAD news naming the member as its own sender) kept a healthy
 * member out of every other member's view for good. The notice goes to the address we hold for
 * the member, never to a packet's source (a forger's), at most once per interval and
 * incarnation per member.
 */
export class BuriedNotices {
  private readonly told = new Map<string, { at: number; incarnation: number }>();

  /** The packet `self` sends `m` now (that it left, as we hold it), if `m` left here and was not told within `intervalMs`. */
  due(m: Member | undefined, self: string, now: number, intervalMs: number): Packet | undefined {
    if (m === undefined || m.state !== 'left') return undefined;
    const last = this.told.get(m.name);
    if (last !== undefined && last.incarnation === m.incarnation && now - last.at < intervalMs) return undefined;
    // Bounded without the table's help: what is older than the interval can be forgotten.
    if (this.told.size >= MAX_TOLD) for (const [name, t] of this.told) if (now - t.at >= intervalMs) this.told.delete(name);
    if (this.told.size >= MAX_TOLD) return undefined;
    this.told.set(m.name, { at: now, incarnation: m.incarnation });
    return { to: m.addr, channel: 'udp', msg: { type: 'gossip', from: self, news: [{ kind: 'dead', name: m.name, incarnation: m.incarnation, from: m.name }] } };
  }
}

/** Members told within one interval, at most (a pool's members that left, usually a few). */
const MAX_TOLD = 1024;
