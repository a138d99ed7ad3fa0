import { afterEach, describe, expect, it, vi } from 'vitest';
import { RequestTracker } from '../../src/server/request-tracker.js';
import { WriteForwarder, type WriteForwarderDeps } from '../../src/server/write-forwarder.js';
import { ENTRY_TAG, wrapCommandEntry } from '../../src/store/envelope.js';
import { deadlineIn } from '../../src/time/deadline.js';
import { isRosterError } from '../../src/util/errors.js';
import { nodeId, type NodeId } from '../../src/util/ids.js';
import { silentLogger } from '../../src/util/logger.js';

const self = nodeId('n2');
const leader = nodeId('n1');
const other = nodeId('n3');

const requestId = (n: number): Uint8Array => Uint8Array.from({ length: 16 }, (_, i) => (i === 15 ? n : 0));
const entryOf = (n: number): Uint8Array => wrapCommandEntry(ENTRY_TAG.kv, requestId(n), Uint8Array.of(1, 2, 3));

/** A follower's forwarder whose leader is n1, over a transport that takes every message. */
function follower(): { forwarder: WriteForwarder<string>; requests: RequestTracker<string>; sent: NodeId[] } {
  const requests = new RequestTracker<string>();
  const sent: NodeId[] = [];
  const deps: WriteForwarderDeps<string> = {
    self: () => self,
    logger: () => silentLogger,
    requests,
    leader: () => leader,
    proposeAsLeader: () => undefined,
    sendProposals: (to) => {
      sent.push(to);
      return true;
    },
    refuseProposals: () => undefined,
    acceptProposals: () => undefined,
    clientAddrOf: () => undefined,
    kick: () => undefined,
  };
  return { forwarder: new WriteForwarder(deps, 800), requests, sent };
}

/** A write handed to the leader: its outcome ('pending', 'ok:...' or an error code) as it settles. */
async function handOver(f: ReturnType<typeof follower>, n: number): Promise<{ outcome: string }> {
  const t = { outcome: 'pending' };
  f.requests.wait(requestId(n), deadlineIn(60_000), true).then(
    (v) => (t.outcome = `ok:${v}`),
    (e: unknown) => (t.outcome = isRosterError(e) ? e.code : String(e)),
  );
  f.forwarder.forward(entryOf(n), requestId(n));
  await vi.advanceTimersByTimeAsync(0); // the end of the event-loop turn: sent
  return t;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('WriteForwarder: the connection to the leader breaks', () => {
  it('fails the writes handed to it as "leader changed" within 100 ms, not at the next election or the deadline', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate', 'Date', 'performance'] });
    const f = follower();
    const lost = await handOver(f, 1);
    const placed = await handOver(f, 2);
    expect(f.sent).toEqual([leader, leader]);
    f.forwarder.accepted(leader, [requestId(2)], 41, 7); // the leader said where it put this one
    f.forwarder.connectionLost(leader);
    await vi.advanceTimersByTimeAsync(99);
    expect(lost.outcome).toBe('pending'); // a live leader's word on it may still arrive
    await vi.advanceTimersByTimeAsync(1);
    expect(lost.outcome).toBe('LEADER_CHANGED');
    // The placed one waits for its index, as through a leader change.
    expect(placed.outcome).toBe('pending');
    f.requests.applied(41, 7, requestId(2), () => 'applied');
    await vi.advanceTimersByTimeAsync(0);
    expect(placed.outcome).toBe('ok:applied');
  });

  it("a placement the leader sent before the break still counts; another peer's connection changes nothing", async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate', 'Date', 'performance'] });
    const f = follower();
    const late = await handOver(f, 3);
    const untouched = await handOver(f, 4);
    f.forwarder.connectionLost(other);
    f.forwarder.connectionLost(leader);
    await vi.advanceTimersByTimeAsync(50);
    f.forwarder.accepted(leader, [requestId(3)], 12, 2);
    await vi.advanceTimersByTimeAsync(100);
    expect(late.outcome).toBe('pending');
    f.requests.applied(12, 2, requestId(3), () => 'done');
    await vi.advanceTimersByTimeAsync(0);
    expect(late.outcome).toBe('ok:done');
    expect(untouched.outcome).toBe('LEADER_CHANGED');
    // With no leader change and the connection intact, nothing fails a handed-over write early.
    const kept = await handOver(f, 5);
    f.forwarder.connectionLost(other);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(kept.outcome).toBe('pending');
  });
});
