import { suspicionRemainingMs } from '../../../src/gossip/scaling.js';
import type { SuspicionView } from '../../../src/gossip/suspicion.js';
import type { GossipWorld, WorldObserver } from './gossip-world.js';

/**
 * Where the time goes between a crash and "every member knows it is dead" (all times in ms from
 * the crash): when the first member suspected it, which members independently failed a probe of
 * it and when, what the first member to declare it dead had counted and what timeout it applied,
 * and how long the news then took to reach everyone.
 */
export interface CrashBreakdown {
  /** The first suspicion anywhere (necessarily from a failed probe). */
  readonly firstSuspectMs: number | undefined;
  /**
   * Members whose own failed probe of the victim was counted in their suspicion, and when, until
   * the first death (a member counts its own probe only while it still wants confirmations, so
   * without Lifeguard only the first accusers show).
   */
  readonly detections: readonly { readonly name: string; readonly ms: number }[];
  /**
   * The first member to declare it dead: when its suspicion started, the timeout it applied (for
   * the confirmations it had counted by then), and how long it actually waited (longer when the
   * confirmation that brought the timeout down came after the shorter deadline had passed).
   */
  readonly declarer: string | undefined;
  readonly declarerStartMs: number | undefined;
  readonly declarerTimeoutMs: number | undefined;
  readonly declarerWaitedMs: number | undefined;
  readonly declarerExpected: number | undefined;
  /** Confirmations the declarer had counted, each by when (ms from the crash). */
  readonly declarerConfirmationsMs: readonly number[];
  readonly firstDeadMs: number | undefined;
  /** Members that reached the verdict on their own timer rather than from the news. */
  readonly ownTimer: number;
  /** From the first death to every member knowing. */
  readonly disseminationMs: number | undefined;
}

/** Watches the world from the crash of `victim` at `t0`; finish() when the crash is known (or not). */
export function trackCrash(w: GossipWorld, victim: string, t0: number): { finish(knownAt: number | undefined): CrashBreakdown } {
  const last = new Map<string, SuspicionView>();
  const detected = new Map<string, number>();
  let firstSuspect: number | undefined;
  let firstDead: { name: string; at: number; view: SuspicionView | undefined } | undefined;
  let ownTimer = 0;
  const observer: WorldObserver = (m, out) => {
    for (const e of out.events) {
      if (e.member.name !== victim) continue;
      if (e.type === 'suspect') firstSuspect ??= e.at;
      if (e.type === 'failed') {
        const before = last.get(m.name);
        if (before !== undefined && before.deadline <= e.at) ownTimer++;
        firstDead ??= { name: m.name, at: e.at, view: before };
      }
    }
    const view = m.node.suspicionOf(victim);
    if (view === undefined) return;
    last.set(m.name, view);
    if (firstDead === undefined && !detected.has(m.name)) {
      const mine = view.accusers.find((a) => a.name === m.name);
      if (mine !== undefined) detected.set(m.name, mine.at);
    }
  };
  w.observers.add(observer);
  return {
    finish(knownAt) {
      w.observers.delete(observer);
      const v = firstDead?.view;
      const confirmationsMs = v === undefined ? [] : v.accusers.slice(1).map((a) => a.at - t0);
      let timeoutMs = v?.timeoutMs;
      // A deadline still ahead means the declarer's own failed probe, in the same tick, was the
      // confirmation that brought it in.
      if (v !== undefined && firstDead !== undefined && v.deadline > firstDead.at) {
        confirmationsMs.push(firstDead.at - t0);
        timeoutMs = suspicionRemainingMs(v.minMs, v.maxMs, v.expected, v.confirmations + 1);
      }
      return {
        firstSuspectMs: firstSuspect === undefined ? undefined : firstSuspect - t0,
        detections: [...detected].map(([name, at]) => ({ name, ms: at - t0 })).sort((a, b) => a.ms - b.ms),
        declarer: firstDead?.name,
        declarerStartMs: v === undefined ? undefined : v.startedAt - t0,
        declarerTimeoutMs: timeoutMs,
        declarerWaitedMs: v === undefined || firstDead === undefined ? undefined : firstDead.at - v.startedAt,
        declarerExpected: v?.expected,
        declarerConfirmationsMs: confirmationsMs,
        firstDeadMs: firstDead === undefined ? undefined : firstDead.at - t0,
        ownTimer,
        disseminationMs: firstDead === undefined || knownAt === undefined ? undefined : knownAt - firstDead.at,
      };
    },
  };
}
