import { describe, expect, it } from 'vitest';
import { Progress, type ProgressState } from '../../src/raft/progress.js';

interface Setup {
  state: ProgressState;
  match: number;
  next: number;
  pendingSnapshot?: number;
  probeSent?: boolean;
  /** Last indexes of appends in flight (replicate state). */
  inflight?: number[];
}

function make(s: Setup, maxInflight = 4): Progress {
  const pr = new Progress(s.next, maxInflight);
  pr.state = s.state;
  pr.match = s.match;
  pr.next = s.next;
  pr.pendingSnapshot = s.pendingSnapshot ?? 0;
  pr.probeSent = s.probeSent ?? false;
  for (const i of s.inflight ?? []) pr.inflights.add(i);
  return pr;
}

function view(pr: Progress): Setup & { inflightCount: number } {
  return { state: pr.state, match: pr.match, next: pr.next, pendingSnapshot: pr.pendingSnapshot, probeSent: pr.probeSent, inflightCount: pr.inflights.size() };
}

describe('Progress state transitions', () => {
  it.each<{ name: string; from: Setup; to: (pr: Progress) => void; want: Partial<ReturnType<typeof view>> }>([
    {
      name: 'probe -> probe restarts right after match',
      from: { state: 'probe', match: 5, next: 9, probeSent: true },
      to: (pr) => pr.becomeProbe(),
      want: { state: 'probe', match: 5, next: 6, probeSent: false, pendingSnapshot: 0 },
    },
    {
      name: 'replicate -> probe drops the optimistic next and the window',
      from: { state: 'replicate', match: 5, next: 12, inflight: [8, 11] },
      to: (pr) => pr.becomeProbe(),
      want: { state: 'probe', match: 5, next: 6, inflightCount: 0 },
    },
    {
      name: 'snapshot (pending 20, match below) -> probe resumes after the snapshot',
      from: { state: 'snapshot', match: 5, next: 9, pendingSnapshot: 20 },
      to: (pr) => pr.becomeProbe(),
      want: { state: 'probe', match: 5, next: 21, pendingSnapshot: 0 },
    },
    {
      name: 'snapshot (pending 20, match beyond it) -> probe resumes after match',
      from: { state: 'snapshot', match: 25, next: 26, pendingSnapshot: 20 },
      to: (pr) => pr.becomeProbe(),
      want: { state: 'probe', match: 25, next: 26, pendingSnapshot: 0 },
    },
    {
      name: 'snapshot without a pending snapshot -> probe resumes after match',
      from: { state: 'snapshot', match: 5, next: 12, pendingSnapshot: 0 },
      to: (pr) => pr.becomeProbe(),
      want: { state: 'probe', match: 5, next: 6, pendingSnapshot: 0 },
    },
    {
      name: 'probe -> replicate starts right after match',
      from: { state: 'probe', match: 7, next: 10, probeSent: true },
      to: (pr) => pr.becomeReplicate(),
      want: { state: 'replicate', match: 7, next: 8, probeSent: false, inflightCount: 0 },
    },
    {
      name: 'snapshot -> replicate clears the pending snapshot',
      from: { state: 'snapshot', match: 20, next: 21, pendingSnapshot: 20 },
      to: (pr) => pr.becomeReplicate(),
      want: { state: 'replicate', match: 20, next: 21, pendingSnapshot: 0 },
    },
    {
      name: 'replicate -> snapshot records the index and empties the window',
      from: { state: 'replicate', match: 3, next: 10, inflight: [6, 9] },
      to: (pr) => pr.becomeSnapshot(40),
      want: { state: 'snapshot', match: 3, next: 10, pendingSnapshot: 40, inflightCount: 0 },
    },
    {
      name: 'probe -> snapshot clears probeSent',
      from: { state: 'probe', match: 0, next: 5, probeSent: true },
      to: (pr) => pr.becomeSnapshot(30),
      want: { state: 'snapshot', pendingSnapshot: 30, probeSent: false },
    },
  ])('$name', ({ from, to, want }) => {
    const pr = make(from);
    to(pr);
    expect(view(pr)).toMatchObject(want);
  });

  it('a new Progress probes from the given next with nothing matched', () => {
    expect(view(new Progress(11, 8))).toEqual({ state: 'probe', match: 0, next: 11, pendingSnapshot: 0, probeSent: false, inflightCount: 0 });
  });
});

describe('Progress.maybeUpdate', () => {
  it.each<{ match: number; next: number; index: number; updated: boolean; wantMatch: number; wantNext: number }>([
    { match: 5, next: 8, index: 7, updated: true, wantMatch: 7, wantNext: 8 },
    { match: 5, next: 8, index: 9, updated: true, wantMatch: 9, wantNext: 10 },
    { match: 5, next: 8, index: 6, updated: true, wantMatch: 6, wantNext: 8 },
    { match: 5, next: 8, index: 5, updated: false, wantMatch: 5, wantNext: 8 },
    { match: 5, next: 8, index: 2, updated: false, wantMatch: 5, wantNext: 8 },
    { match: 0, next: 1, index: 0, updated: false, wantMatch: 0, wantNext: 1 },
  ])('match $match next $next, ack $index -> updated $updated, match $wantMatch next $wantNext', ({ match, next, index, updated, wantMatch, wantNext }) => {
    const pr = make({ state: 'replicate', match, next });
    expect(pr.maybeUpdate(index)).toBe(updated);
    expect(pr.match).toBe(wantMatch);
    expect(pr.next).toBe(wantNext);
  });

  it.each([
    { index: 9, probeSent: false },
    { index: 3, probeSent: true },
  ])('in probe, an ack of $index leaves probeSent $probeSent', ({ index, probeSent }) => {
    const pr = make({ state: 'probe', match: 4, next: 5, probeSent: true });
    pr.maybeUpdate(index);
    expect(pr.probeSent).toBe(probeSent);
  });
});

describe('Progress.maybeDecrTo', () => {
  it.each<{ name: string; from: Setup; rejected: number; hint: number; ok: boolean; next: number; probeSent?: boolean }>([
    // replicate: any rejection above match sends next back to match + 1, whatever the hint.
    { name: 'replicate: stale (rejected == match)', from: { state: 'replicate', match: 5, next: 10 }, rejected: 5, hint: 1, ok: false, next: 10 },
    { name: 'replicate: stale (rejected < match)', from: { state: 'replicate', match: 5, next: 10 }, rejected: 3, hint: 1, ok: false, next: 10 },
    { name: 'replicate: fresh, hint ignored', from: { state: 'replicate', match: 5, next: 10 }, rejected: 8, hint: 2, ok: true, next: 6 },
    { name: 'replicate: fresh, large hint ignored', from: { state: 'replicate', match: 5, next: 10 }, rejected: 9, hint: 50, ok: true, next: 6 },
    // probe: only a rejection of the probe just sent (next - 1) counts.
    { name: 'probe: stale (older probe)', from: { state: 'probe', match: 0, next: 10, probeSent: true }, rejected: 8, hint: 2, ok: false, next: 10, probeSent: true },
    { name: 'probe: stale (newer than sent)', from: { state: 'probe', match: 0, next: 10, probeSent: true }, rejected: 10, hint: 2, ok: false, next: 10, probeSent: true },
    { name: 'probe: hint moves next back to hint + 1', from: { state: 'probe', match: 0, next: 10, probeSent: true }, rejected: 9, hint: 4, ok: true, next: 5, probeSent: false },
    { name: 'probe: hint 0 goes back to 1', from: { state: 'probe', match: 0, next: 10 }, rejected: 9, hint: 0, ok: true, next: 1 },
    { name: 'probe: hint beyond rejected is capped at rejected', from: { state: 'probe', match: 0, next: 10 }, rejected: 9, hint: 100, ok: true, next: 9 },
    { name: 'probe: never below match + 1', from: { state: 'probe', match: 3, next: 10 }, rejected: 9, hint: 1, ok: true, next: 4 },
    { name: 'probe: hint == rejected - 1', from: { state: 'probe', match: 0, next: 10 }, rejected: 9, hint: 8, ok: true, next: 9 },
  ])('$name', ({ from, rejected, hint, ok, next, probeSent }) => {
    const pr = make(from);
    expect(pr.maybeDecrTo(rejected, hint)).toBe(ok);
    expect(pr.next).toBe(next);
    expect(pr.match).toBe(from.match);
    if (probeSent !== undefined) expect(pr.probeSent).toBe(probeSent);
  });
});

describe('Progress.sentEntries', () => {
  it.each<{ name: string; from: Setup; lastIndex: number; count: number; next: number; probeSent: boolean; inflightCount: number }>([
    { name: 'replicate advances next and fills a slot', from: { state: 'replicate', match: 5, next: 6 }, lastIndex: 8, count: 3, next: 9, probeSent: false, inflightCount: 1 },
    { name: 'replicate: an empty append takes no slot', from: { state: 'replicate', match: 5, next: 6 }, lastIndex: 5, count: 0, next: 6, probeSent: false, inflightCount: 0 },
    { name: 'probe marks the probe as sent, next unchanged', from: { state: 'probe', match: 5, next: 6 }, lastIndex: 8, count: 3, next: 6, probeSent: true, inflightCount: 0 },
    { name: 'probe: an empty probe also counts', from: { state: 'probe', match: 5, next: 6 }, lastIndex: 5, count: 0, next: 6, probeSent: true, inflightCount: 0 },
    { name: 'snapshot: nothing changes', from: { state: 'snapshot', match: 5, next: 6, pendingSnapshot: 9 }, lastIndex: 8, count: 3, next: 6, probeSent: false, inflightCount: 0 },
  ])('$name', ({ from, lastIndex, count, next, probeSent, inflightCount }) => {
    const pr = make(from);
    pr.sentEntries(lastIndex, count);
    expect(view(pr)).toMatchObject({ next, probeSent, inflightCount });
  });
});

describe('Progress.isPaused', () => {
  it.each<{ name: string; from: Setup; paused: boolean }>([
    { name: 'probe, nothing sent', from: { state: 'probe', match: 0, next: 1 }, paused: false },
    { name: 'probe, probe sent', from: { state: 'probe', match: 0, next: 1, probeSent: true }, paused: true },
    { name: 'replicate, window not full', from: { state: 'replicate', match: 1, next: 4, inflight: [2, 3] }, paused: false },
    { name: 'replicate, window full', from: { state: 'replicate', match: 1, next: 6, inflight: [2, 3, 4, 5] }, paused: true },
    { name: 'replicate, probeSent is irrelevant', from: { state: 'replicate', match: 1, next: 2, probeSent: true }, paused: false },
    { name: 'snapshot', from: { state: 'snapshot', match: 0, next: 1, pendingSnapshot: 10 }, paused: true },
  ])('$name -> $paused', ({ from, paused }) => {
    expect(make(from).isPaused()).toBe(paused);
  });

  it('replicate pauses when the window fills and resumes when an ack frees a slot', () => {
    const pr = make({ state: 'replicate', match: 0, next: 1 }, 2);
    pr.sentEntries(1, 1);
    expect(pr.isPaused()).toBe(false);
    pr.sentEntries(2, 1);
    expect(pr.isPaused()).toBe(true);
    expect(pr.maybeUpdate(1)).toBe(true);
    pr.inflights.freeLE(1);
    expect(pr.isPaused()).toBe(false);
    expect(pr.next).toBe(3);
  });

  it('probe pauses after a send and resumes on an accepted ack or a fresh rejection', () => {
    const pr = make({ state: 'probe', match: 0, next: 5 });
    pr.sentEntries(6, 2);
    expect(pr.isPaused()).toBe(true);
    expect(pr.maybeDecrTo(4, 2)).toBe(true);
    expect(pr.isPaused()).toBe(false);
    expect(pr.next).toBe(3);
    pr.sentEntries(4, 2);
    expect(pr.isPaused()).toBe(true);
    pr.maybeUpdate(4);
    expect(pr.isPaused()).toBe(false);
  });
});
