import { afterEach, describe, expect, it, vi } from 'vitest';
import { freePort } from '../integration/cluster-harness.js';
import type { Message } from '../../src/raft/index.js';
import { RaftTransport, type TransportHandlers } from '../../src/transport/raft-transport.js';
import { nodeId, type NodeId } from '../../src/util/ids.js';
import { quietHandlers } from './transport-test-handlers.js';

const a = nodeId('a');
const b = nodeId('b');
const HOST = '127.0.0.1';
const quiet = { debug() {}, info() {}, warn() {}, error() {} };

function handlers(over: Partial<TransportHandlers>): TransportHandlers {
  return quietHandlers(over);
}

const heartbeat: Message = { type: 'heartbeat', from: a, to: b, term: 2, commit: 0, readSeq: 0 };

/**
 * The reconnect back-off runs on the monotonic clock: a wall clock stepped back (or forward) by
 * minutes neither blocks reconnecting to a peer for the size of the step nor changes anything.
 */
describe('RaftTransport reconnects on the monotonic clock, whatever the wall clock does', () => {
  const stops: (() => Promise<void>)[] = [];
  afterEach(async () => {
    vi.restoreAllMocks();
    for (const s of stops.splice(0)) await s();
  });

  for (const stepMs of [-10 * 60_000, 10 * 60_000]) {
    it(`a peer that comes up after its stream failed is reached within the back-off, with the wall clock stepped ${stepMs > 0 ? 'forward' : 'back'} 10 minutes`, async () => {
      const addrs = { [a]: `${HOST}:${await freePort(HOST)}`, [b]: `${HOST}:${await freePort(HOST)}` } as Record<NodeId, string>;
      let unreachable = 0;
      const ta = new RaftTransport({ security: { mode: 'insecure' }, self: a, clusterId: '5', listen: addrs[a]!, addressOf: (id) => addrs[id], logger: quiet, handlers: handlers({ reportUnreachable: () => void unreachable++ }) });
      await ta.start();
      stops.push(() => ta.stop());
      // b is down: the stream fails and the back-off starts (on real time).
      ta.send([heartbeat]);
      await vi.waitFor(() => expect(unreachable).toBeGreaterThan(0), { timeout: 5000 });
      // The wall clock steps by 10 minutes, and b comes up.
      const real = Date.now.bind(Date);
      vi.spyOn(Date, 'now').mockImplementation(() => real() + stepMs);
      const delivered: Message[] = [];
      const tb = new RaftTransport({ security: { mode: 'insecure' }, self: b, clusterId: '5', listen: addrs[b]!, addressOf: (id) => addrs[id], logger: quiet, handlers: handlers({ onMessage: (m) => void delivered.push(m) }) });
      await tb.start();
      stops.push(() => tb.stop());
      const began = performance.now();
      // The core sends a heartbeat every 50 ms; the back-off is at most 250 ms.
      while (delivered.length === 0 && performance.now() - began < 5000) {
        ta.send([heartbeat]);
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(delivered.length).toBeGreaterThan(0);
      expect(performance.now() - began).toBeLessThan(2000);
    });
  }
});
