import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { AgentMetrics } from '../../src/agent/metrics/agent-metrics.js';
import { RegistryWatchService } from '../../src/api/roster/registry-watch.js';
import type { GossipMessage } from '../../src/gossip/messages.js';
import { GossipTransport } from '../../src/transport/gossip-transport.js';
import { droppedCount, noteDropped } from '../../src/util/dropped.js';
import type { Logger } from '../../src/util/logger.js';
import { freePort } from '../integration/cluster-harness.js';

/** A logger that keeps its warnings. */
function recordingLogger(): Logger & { warnings: { message: string; fields: Record<string, unknown> | undefined }[] } {
  const warnings: { message: string; fields: Record<string, unknown> | undefined }[] = [];
  return { warnings, debug() {}, info() {}, error() {}, warn: (message, fields) => void warnings.push({ message, fields }) };
}

async function until(what: string, ok: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('dropped inputs', () => {
  it('are logged with the error and counted by site and reason, and the metrics show the counts', async () => {
    const log = recordingLogger();
    const before = droppedCount('test-site', 'test-reason');
    noteDropped(log, 'test-site', 'test-reason', new Error('boom'), { index: 7 });
    expect(droppedCount('test-site', 'test-reason')).toBe(before + 1);
    expect(log.warnings).toEqual([{ message: 'test-site: dropped (test-reason)', fields: { index: 7, error: 'boom' } }]);
    const text = await new AgentMetrics(undefined, () => undefined).registry.metrics();
    expect(text).toContain(`roster_dropped_total{site="test-site",reason="test-reason"} ${before + 1}`);
  });

  it('a gossip handler that throws on a good packet (UDP or TCP push-pull) is counted as its exception, not as a malformed packet, and does not crash', async () => {
    const log = recordingLogger();
    const throwing = (): never => {
      throw new Error('core failed');
    };
    const host = '127.0.0.1';
    const aAddr = `${host}:${await freePort(host)}`;
    const a = await GossipTransport.start({ bind: aAddr, cluster: 'roster', packetBytes: 1400, logger: log, onMessage: throwing, onPushPull: throwing });
    const bAddr = `${host}:${await freePort(host)}`;
    const b = await GossipTransport.start({ bind: bAddr, cluster: 'roster', packetBytes: 1400, logger: recordingLogger(), onMessage: () => {}, onPushPull: () => undefined });
    try {
      const before = droppedCount('gossip-transport', 'handler-exception');
      b.send(aAddr, { type: 'gossip', from: 'b', news: [] });
      await until('the UDP handler exception is counted', () => droppedCount('gossip-transport', 'handler-exception') === before + 1);
      const pp: GossipMessage = { type: 'push-pull', from: 'b', join: false, reply: false, members: [] };
      await expect(b.pushPull(aAddr, pp)).rejects.toThrow();
      await until('the TCP handler exception is counted', () => droppedCount('gossip-transport', 'handler-exception') === before + 2);
      expect(a.drops.malformed).toBe(0);
      expect(log.warnings.filter((w) => w.message === 'gossip-transport: dropped (handler-exception)').map((w) => w.fields?.error)).toEqual(['core failed', 'core failed']);
    } finally {
      await a.close();
      await b.close();
    }
  });
});

describe('a registry watch whose create fails after registering', () => {
  it('is ended, the client is told (CANCELED with the reason), and the failure is logged and counted', async () => {
    const log = recordingLogger();
    const unsubscribed: unknown[] = [];
    const backend = {
      leader: () => 'n1',
      msSinceLeaderContact: () => 0,
      cfg: { defaultRequestTimeoutMs: 1000 },
      mvcc: {
        read: () => Promise.reject(new Error('state closed under the read')),
      },
    };
    const svc = new RegistryWatchService({
      backend: backend as never,
      hub: { revision: 5, unsubscribe: (w: unknown) => void unsubscribed.push(w) } as never,
      maxPendingBytes: 1 << 20,
      maxWatches: 100,
      onLimit: () => {},
      progressEveryMs: 10_000,
      staleAfterMs: 5000,
      logger: log,
    });
    const written: Buffer[] = [];
    const call = Object.assign(new EventEmitter(), {
      write: (b: Buffer, cb: () => void) => {
        written.push(b);
        cb();
        return true;
      },
    });
    try {
      const before = droppedCount('registry-watch', 'create-failed');
      svc.watch(call as never);
      call.emit('data', { create: { watchId: '1', target: 'services', services: {}, afterRevision: '0', allowStale: true, progressIntervalMs: '0' } });
      await until('the failure is counted', () => droppedCount('registry-watch', 'create-failed') === before + 1);
      expect(log.warnings.map((w) => w.fields?.error)).toContain('state closed under the read');
      expect(unsubscribed).toHaveLength(1);
      expect(svc.sharedTargets).toBe(0);
      expect(written).toHaveLength(1);
      expect(written[0]!.toString('latin1')).toContain('the watch could not start (state closed under the read)');
    } finally {
      svc.stop();
    }
  });
});
