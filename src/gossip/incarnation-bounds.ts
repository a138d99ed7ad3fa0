import type { GossipMessage, MemberRecord, News } from './messages.js';

/**
 * How high an incarnation from the wire may be, so that a member can always refute what this
 * member took.
 *
 * A member refutes suspicion or death news at incarnation i by announcing itself alive at i + 1
 * (GossipNode.refute), and every other member must take that. Without a bound, one forged packet
 * (DEAD at 2^53 - 1 for a healthy member) left a refutation at 2^53, which the wire decoder
 * refuses as not exact: the member stayed dead for good, and autopilot removed it as a voter.
 *
 * So there are two bounds. News that accuses a member (suspect, dead, left) is taken up to
 * MAX_ACCUSED_INCARNATION, 2^48: a member raises its incarnation only to refute or to change its
 * metadata, never near that in practice. Alive news is taken up to MAX_ALIVE_INCARNATION, 2^32
 * higher: room for the refutation of the highest accusation taken, and for metadata changes
 * after it, all far below 2^53, so every `+ 1` stays exact.
 *
 * The cost, only after an attack: a member pushed above 2^48 is still probed and answers as
 * before, but accusations about it no longer spread by gossip (each member's own probes still
 * find it failed); and one that forged alive news pushed to the top keeps its old metadata in
 * the others' view. Neither leaves a healthy member dead.
 */
export const MAX_ACCUSED_INCARNATION = 2 ** 48;

/** See MAX_ACCUSED_INCARNATION. */
export const MAX_ALIVE_INCARNATION = MAX_ACCUSED_INCARNATION + 2 ** 32;

/** Why the gossip core dropped news unread: the `reason` of roster_dropped_total{site="gossip-core"}. */
export type GossipDropReason = 'incarnation-out-of-bounds';

/**
 * Whether a piece of news, or a member record of a push-pull, carries an incarnation a real
 * member can send and be refuted above. Each is judged alone: one member pushed past a bound
 * must not make every push-pull that mentions it unreadable.
 */
export function incarnationInBounds(n: News | MemberRecord): boolean {
  const alive = 'kind' in n ? n.kind === 'alive' : n.state === 'alive';
  const max = alive ? MAX_ALIVE_INCARNATION : MAX_ACCUSED_INCARNATION;
  return Number.isSafeInteger(n.incarnation) && n.incarnation >= 0 && n.incarnation <= max;
}

/** How many news or records receive() dropped from one message, and why. */
export interface DroppedNews {
  readonly reason: GossipDropReason;
  readonly count: number;
}

/**
 * `msg` without its news or records out of bounds, and what was dropped. The very same object
 * when nothing is, which is always, short of a forged or corrupt packet.
 */
export function withinIncarnationBounds(msg: GossipMessage): { msg: GossipMessage; dropped: DroppedNews | undefined } {
  const items: readonly (News | MemberRecord)[] = msg.type === 'push-pull' ? msg.members : msg.news;
  const count = items.filter((n) => !incarnationInBounds(n)).length;
  if (count === 0) return { msg, dropped: undefined };
  const dropped: DroppedNews = { reason: 'incarnation-out-of-bounds', count };
  return { msg: msg.type === 'push-pull' ? { ...msg, members: msg.members.filter(incarnationInBounds) } : { ...msg, news: msg.news.filter(incarnationInBounds) }, dropped };
}
