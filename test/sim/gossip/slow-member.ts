import type { SuspicionView } from '../../../src/gossip/suspicion.js';
import type { GossipWorld, WorldObserver } from './gossip-world.js';

/**
 * How close the starved member came to a false death: every suspicion of it any member held, how
 * long it took to be refuted there, and how much time that member's timer had left.
 */
export interface SlowMemberReport {
  /** Times it was suspected (distinct incarnations). */
  readonly suspected: number;
  /** Suspicions of it held by any member (observer x incarnation). */
  readonly suspicions: number;
  /** ...refuted (cleared by a newer alive) before the timer ran out. */
  readonly refuted: number;
  /** The slowest refutation, from the start of that member's suspicion. */
  readonly worstRefuteMs: number | undefined;
  /** The least time any suspicion had left on its timer when it was refuted (negative: none). */
  readonly closestCallMs: number | undefined;
  /** Members that declared it dead. */
  readonly deaths: number;
}

export function trackSlowMember(w: GossipWorld, slow: string): { finish(): SlowMemberReport } {
  const held = new Map<string, SuspicionView>();
  const incarnations = new Set<number>();
  let suspicions = 0;
  let refuted = 0;
  let deaths = 0;
  let worst: number | undefined;
  let closest: number | undefined;
  const observer: WorldObserver = (m, out) => {
    for (const e of out.events) {
      if (e.member.name !== slow) continue;
      if (e.type === 'suspect') {
        suspicions++;
        incarnations.add(e.member.incarnation);
      }
      const view = held.get(m.name);
      if (e.type === 'alive' && view !== undefined) {
        refuted++;
        worst = Math.max(worst ?? 0, e.at - view.startedAt);
        closest = Math.min(closest ?? Infinity, view.deadline - e.at);
        held.delete(m.name);
      }
      if (e.type === 'failed') {
        deaths++;
        closest = Math.min(closest ?? Infinity, view === undefined ? 0 : view.deadline - e.at);
        held.delete(m.name);
      }
    }
    const now = m.node.suspicionOf(slow);
    if (now !== undefined) held.set(m.name, now);
  };
  w.observers.add(observer);
  return {
    finish() {
      w.observers.delete(observer);
      return { suspected: incarnations.size, suspicions, refuted, worstRefuteMs: worst, closestCallMs: closest, deaths };
    },
  };
}
