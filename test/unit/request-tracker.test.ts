import { afterEach, describe, expect, it, vi } from 'vitest';
import { RequestTracker } from '../../src/server/request-tracker.js';
import { deadlineIn } from '../../src/time/deadline.js';
import { isRosterError, RosterError } from '../../src/util/errors.js';
import { nodeId } from '../../src/util/ids.js';

const n1 = nodeId('n1');
const n2 = nodeId('n2');

const id = (n: number): Uint8Array => new Uint8Array([0, 0, 0, n]);
const codeOf = (err: unknown): string => (isRosterError(err) ? err.code : String(err));

/** What a waiter settled with (a value or an error code), or 'pending'. */
function track<T>(p: Promise<T>): { outcome: string } {
  const t = { outcome: 'pending' };
  p.then((v) => (t.outcome = `ok:${String(v)}`), (e: unknown) => (t.outcome = codeOf(e)));
  return t;
}
const settle = () => new Promise((r) => setImmediate(r));

describe('RequestTracker: forwarded writes and a leader change', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('fails a forwarded write the leader never acknowledged, as ambiguous', async () => {
    const w = new RequestTracker<string>();
    const t = track(w.wait(id(1), deadlineIn(60_000), true));
    w.failForwarded(new RosterError('LEADER_CHANGED', 'leader changed'));
    await settle();
    expect(t.outcome).toBe('LEADER_CHANGED');
  });

  it('keeps a placed forwarded write through a leader change and answers it when its entry applies', async () => {
    const w = new RequestTracker<string>();
    const t = track(w.wait(id(2), deadlineIn(60_000), true));
    w.sent([id(2)], n1);
    w.placedAt(7, 3, [id(2)], n1);
    w.failForwarded(new RosterError('LEADER_CHANGED', 'leader changed'));
    await settle();
    expect(t.outcome).toBe('pending');
    w.applied(7, 3, id(2), () => 'put');
    await settle();
    expect(t.outcome).toBe('ok:put');
  });

  it('fails a placed write whose index applied with another term (a new leader replaced it)', async () => {
    const w = new RequestTracker<string>();
    const first = track(w.wait(id(3), deadlineIn(60_000), true));
    const second = track(w.wait(id(4), deadlineIn(60_000), true));
    w.sent([id(3), id(4)], n1);
    w.placedAt(10, 5, [id(3), id(4)], n1); // in order: index 10 and 11
    w.failForwarded(new RosterError('LEADER_CHANGED', 'leader changed'));
    w.applied(10, 5, id(3), () => 'a');
    w.applied(11, 6, undefined, () => 'noop'); // the new leader's entry at 11
    await settle();
    expect(first.outcome).toBe('ok:a');
    expect(second.outcome).toBe('LEADER_CHANGED');
  });

  it('believes a placement only from the server the write was sent to', async () => {
    const w = new RequestTracker<string>();
    const t = track(w.wait(id(7), deadlineIn(60_000), true));
    w.sent([id(7)], n1);
    w.placedAt(30, 2, [id(7)], n2); // n2 never got it: its word is ignored
    w.failForwarded(new RosterError('LEADER_CHANGED', 'leader changed'));
    await settle();
    expect(t.outcome).toBe('LEADER_CHANGED');
  });

  it('waits a grace for the old leader\'s placement that a leader change overtook', async () => {
    vi.useFakeTimers();
    const w = new RequestTracker<string>();
    const late = track(w.wait(id(8), deadlineIn(60_000), true));
    const lost = track(w.wait(id(9), deadlineIn(60_000), true));
    w.sent([id(8), id(9)], n1);
    w.failForwarded(new RosterError('LEADER_CHANGED', 'leader changed'), 50);
    w.placedAt(40, 2, [id(8)], n1); // arrives after the change, within the grace
    await vi.advanceTimersByTimeAsync(49);
    expect(lost.outcome).toBe('pending'); // still within the grace
    await vi.advanceTimersByTimeAsync(2);
    expect(late.outcome).toBe('pending');
    expect(lost.outcome).toBe('LEADER_CHANGED');
    w.applied(40, 2, id(8), () => 'late');
    await vi.advanceTimersByTimeAsync(0);
    expect(late.outcome).toBe('ok:late');
  });

  it('ignores a placement for a write no longer waiting, or one proposed here', async () => {
    const w = new RequestTracker<string>();
    const here = track(w.wait(id(5), deadlineIn(60_000), false));
    w.placedAt(20, 1, [id(5), id(6)], n1);
    w.applied(20, 2, undefined, () => 'other');
    w.applied(21, 2, undefined, () => 'other');
    await settle();
    expect(here.outcome).toBe('pending'); // not placed: it waits for its own id, as before
    expect(w.size).toBe(1);
  });
});

describe('RequestTracker: entries waiting by index (no request id)', () => {
  it('resolves a request when its entry applies with the term it was proposed in', async () => {
    const t = new RequestTracker<string>();
    const p = t.waitAt(5, 2, undefined);
    t.applied(5, 2, undefined, () => 'done');
    await expect(p).resolves.toBe('done');
  });

  it('fails a request whose index was filled by another leader', async () => {
    const t = new RequestTracker<string>();
    const p = t.waitAt(5, 2, undefined);
    t.applied(5, 3, undefined, () => 'someone else');
    await expect(p).rejects.toMatchObject({ code: 'LEADER_CHANGED' });
  });

  it("a second proposal at the same index fails the first, and the first one's timer cannot remove the second", async () => {
    const t = new RequestTracker<string>();
    const first = t.waitAt(7, 2, deadlineIn(20));
    const second = t.waitAt(7, 4, deadlineIn(10_000));
    await expect(first).rejects.toMatchObject({ code: 'LEADER_CHANGED' });
    await new Promise((r) => setTimeout(r, 40)); // the first timer would have fired
    t.applied(7, 4, undefined, () => 'mine');
    await expect(second).resolves.toBe('mine');
  });

  it('times out at the deadline', async () => {
    const t = new RequestTracker<string>();
    await expect(t.waitAt(1, 1, deadlineIn(5))).rejects.toMatchObject({ code: 'TIMEOUT', message: 'etcdserver: request timed out' });
    expect(t.size).toBe(0);
  });
});

describe('RequestTracker: a snapshot install', () => {
  it('fails every client write and the entries waiting by an index it covers, and keeps those above it', async () => {
    const t = new RequestTracker<string>();
    const write = track(t.wait(id(1), deadlineIn(60_000), false));
    t.proposedAt(4, 1, id(1));
    const forwarded = track(t.wait(id(2), deadlineIn(60_000), true));
    const covered = track(t.waitAt(5, 1, deadlineIn(60_000)));
    const above = track(t.waitAt(9, 1, deadlineIn(60_000)));
    t.snapshotInstalled(6);
    await settle();
    expect([write.outcome, forwarded.outcome, covered.outcome, above.outcome]).toEqual(['LEADER_CHANGED', 'LEADER_CHANGED', 'LEADER_CHANGED', 'pending']);
    t.applied(9, 1, undefined, () => 'conf');
    await settle();
    expect(above.outcome).toBe('ok:conf');
  });
});
