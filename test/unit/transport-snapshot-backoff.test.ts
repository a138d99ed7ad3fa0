import { afterEach, describe, expect, it, vi } from 'vitest';
import { freePort } from '../integration/cluster-harness.js';
import type { Message } from '../../src/raft/index.js';
import { RaftTransport, type TransportHandlers } from '../../src/transport/raft-transport.js';
import { SnapshotFailures } from '../../src/transport/snapshot-failures.js';
import { RosterError } from '../../src/util/errors.js';
import { nodeId, type NodeId } from '../../src/util/ids.js';
import type { Logger } from '../../src/util/logger.js';

/** Handlers that accept every snapshot (reading it whole) and send one of `bytes`. */
function snapshotHandlers(bytes: number, over: Partial<TransportHandlers>): TransportHandlers {
  return {
    onMessage() {},
    onSnapshot: async (_h, data) => {
      for await (const _ of data) {
        /* consume */
      }
    },
    onProposals() {},
    onProposalsRefused() {},
    onProposalsAccepted() {},
    onForward: () => Promise.reject(new Error('unused')),
    snapshotData: async function* () {
      yield new Uint8Array(bytes);
    },
    reportUnreachable() {},
    reportSnapshot() {},
    snapshotFailed() {},
    ...over,
  };
}

const a = nodeId('a');
const b = nodeId('b');

describe('SnapshotFailures (the per-peer back-off)', () => {
  function policy(random = 0.5) {
    const clock = { t: 1000 };
    const f = new SnapshotFailures({ firstMs: 500, maxMs: 30_000, warnEveryMs: 10_000, now: () => clock.t, random: () => random });
    return { f, clock };
  }

  it('waits longer after each failure in a row, up to the cap, with jitter inside [half, whole]', () => {
    const { f } = policy(0.5);
    const waits = Array.from({ length: 10 }, () => f.failed(b, 'x').retryInMs);
    expect(waits).toEqual([375, 750, 1500, 3000, 6000, 12000, 22500, 22500, 22500, 22500]);
    expect(policy(0).f.failed(b, 'x').retryInMs).toBe(250);
    expect(policy(0.999999).f.failed(b, 'x').retryInMs).toBe(500);
  });

  it('holds a peer only until its retry time; a success resets it; peers are independent', () => {
    const { f, clock } = policy(1 - 1e-9);
    expect(f.waiting(b)).toBe(false);
    f.failed(b, 'refused');
    expect(f.waiting(b)).toBe(true);
    expect(f.waiting(a)).toBe(false);
    clock.t += 499;
    expect(f.waiting(b)).toBe(true);
    clock.t += 1;
    expect(f.waiting(b)).toBe(false);
    expect(f.failed(b, 'again')).toMatchObject({ failures: 2, retryInMs: 1000 });
    expect(f.status(b)).toMatchObject({ failures: 2, lastError: 'again', lastAt: 1500 });
    f.succeeded(b);
    expect(f.waiting(b)).toBe(false);
    expect(f.status(b)).toBeUndefined();
    expect(f.failed(b, 'fresh')).toMatchObject({ failures: 1, retryInMs: 500 });
  });

  it('a peer that could not be reached waits no longer once it is heard from; one that refused does', () => {
    const { f, clock } = policy(1 - 1e-9);
    for (let i = 0; i < 5; i++) f.failed(b, 'connect ECONNREFUSED', true);
    f.failed(a, 'did not verify', false);
    clock.t += 100;
    expect([f.waiting(a), f.waiting(b)]).toEqual([true, true]);
    f.heardFrom(a);
    f.heardFrom(b);
    expect([f.waiting(a), f.waiting(b)]).toEqual([true, false]);
    expect(f.status(b)).toMatchObject({ failures: 5 }); // still shown until a success
    expect(f.failed(b, 'did not verify')).toMatchObject({ failures: 6, retryInMs: 16_000 });
    f.heardFrom(b);
    expect(f.waiting(b)).toBe(true);
  });

  it('warns on the first failure of a run, then once per interval, counting the quiet ones', () => {
    const { f, clock } = policy();
    expect(f.failed(b, 'x')).toMatchObject({ warn: true, unreported: 0 });
    clock.t += 3000;
    expect(f.failed(b, 'x')).toMatchObject({ warn: false });
    clock.t += 3000;
    expect(f.failed(b, 'x')).toMatchObject({ warn: false });
    clock.t += 4000;
    expect(f.failed(b, 'x')).toMatchObject({ warn: true, unreported: 2 });
  });
});

describe('RaftTransport backs off a peer that keeps refusing snapshots', () => {
  const stops: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const s of stops.splice(0)) await s();
  });

  it('sends far fewer than one attempt per heartbeat, warns rarely, counts each failure, and resets once one succeeds', async () => {
    const addrs = { [a]: `127.0.0.1:${await freePort('127.0.0.1')}`, [b]: `127.0.0.1:${await freePort('127.0.0.1')}` } as Record<NodeId, string>;
    let refuse = true;
    let received = 0;
    const reports: boolean[] = [];
    const failed: string[] = [];
    const warnings: string[] = [];
    const logger: Logger = { debug() {}, info() {}, warn: (m) => void warnings.push(m), error() {} };
    const handlers = (over: Partial<TransportHandlers>): TransportHandlers =>
      snapshotHandlers(1000, {
        onSnapshot: async (_h, data) => {
          received++;
          for await (const _ of data) {
            /* consume */
          }
          if (refuse) throw new RosterError('BAD_SNAPSHOT', 'received snapshot did not verify');
        },
        ...over,
      });
    const leader = new RaftTransport({ security: { mode: 'insecure' },
      self: a,
      clusterId: '9',
      listen: addrs[a]!,
      addressOf: (id) => addrs[id],
      logger,
      handlers: handlers({ reportSnapshot: (_id, ok) => void reports.push(ok), snapshotFailed: (id, error) => void failed.push(`${id}: ${error}`) }),
      snapshotBackoff: { firstMs: 200, maxMs: 800, warnEveryMs: 60_000 },
    });
    const follower = new RaftTransport({ security: { mode: 'insecure' }, self: b, clusterId: '9', listen: addrs[b]!, addressOf: (id) => addrs[id], logger: { ...logger, warn() {} }, handlers: handlers({}) });
    await leader.start();
    await follower.start();
    stops.push(() => leader.stop(), () => follower.stop());

    // The core asks for a snapshot after every heartbeat reply: every 50 ms, for 2.5 s.
    const snap: Message = { type: 'snap', from: a, to: b, term: 1, snapshot: { meta: { index: 5, term: 1, conf: { voters: [a, b], learners: [] } }, data: new Uint8Array(0) } };
    const asks = 50;
    for (let i = 0; i < asks; i++) {
      leader.send([snap]);
      await new Promise((r) => setTimeout(r, 50));
    }
    // Waits of 100-200, 200-400, 400-800, then 400-800 ms: at most 6 attempts in 2.5 s (not 50).
    expect(received).toBeGreaterThanOrEqual(3);
    expect(received).toBeLessThanOrEqual(6);
    expect(failed.length).toBe(received);
    expect(failed[0]).toMatch(/^b: .*received snapshot did not verify/);
    expect(warnings).toEqual(['raft transport: InstallSnapshot failed; backing off']);
    expect(reports.filter((ok) => ok)).toEqual([]);
    await vi.waitFor(() => expect(reports.length).toBe(asks)); // every ask is answered, held ones at once
    expect(leader.snapshotStatus(b)).toMatchObject({ failures: received, lastError: expect.stringContaining('did not verify') as unknown });

    refuse = false;
    const deadline = Date.now() + 5000;
    while (!reports.includes(true) && Date.now() < deadline) {
      leader.send([snap]);
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(reports.includes(true)).toBe(true);
    expect(leader.snapshotStatus(b)).toBeUndefined();
  });

  it('tells the core the outcome even when logging it throws (the peer would stay in snapshot state)', async () => {
    const addrs = { [a]: `127.0.0.1:${await freePort('127.0.0.1')}`, [b]: `127.0.0.1:${await freePort('127.0.0.1')}` } as Record<NodeId, string>;
    const reports: boolean[] = [];
    const throwing: Logger = {
      debug() {},
      info() {
        throw new Error('log sink broken'); // the success is logged at info
      },
      warn() {},
      error() {},
    };
    const handlers = (over: Partial<TransportHandlers>): TransportHandlers => snapshotHandlers(10, over);
    const leader = new RaftTransport({ security: { mode: 'insecure' }, self: a, clusterId: '9', listen: addrs[a]!, addressOf: (id) => addrs[id], logger: throwing, handlers: handlers({ reportSnapshot: (_id, ok) => void reports.push(ok) }) });
    const follower = new RaftTransport({ security: { mode: 'insecure' }, self: b, clusterId: '9', listen: addrs[b]!, addressOf: (id) => addrs[id], logger: { debug() {}, info() {}, warn() {}, error() {} }, handlers: handlers({}) });
    await leader.start();
    await follower.start();
    stops.push(() => leader.stop(), () => follower.stop());
    leader.send([{ type: 'snap', from: a, to: b, term: 1, snapshot: { meta: { index: 5, term: 1, conf: { voters: [a, b], learners: [] } }, data: new Uint8Array(0) } }]);
    await vi.waitFor(() => expect(reports).toEqual([true]), { timeout: 5000 });
  });
});
