import { afterEach, describe, expect, it, vi } from 'vitest';
import { GossipAgent } from '../../src/agent/gossip/gossip-agent.js';
import { resolveGossipConfig } from '../../src/gossip/config.js';
import { freePort } from '../integration/cluster-harness.js';

const HOST = '127.0.0.1';
const quiet = { debug() {}, info() {}, warn() {}, error() {} };
// Quick probing, so a failure is detected in about two seconds.
const config = resolveGossipConfig({ probeIntervalMs: 200, probeTimeoutMs: 100, suspicionMult: 2, pushPullIntervalMs: 2000 });

/**
 * The gossip agent runs its core on the monotonic clock: with the wall clock stepped back by
 * 10 minutes, probing would otherwise stop for 10 minutes (every next probe "in the future"),
 * and stepped forward, every probe in flight would time out at once.
 */
describe('GossipAgent on the monotonic clock, whatever the wall clock does', () => {
  const agents: GossipAgent[] = [];
  afterEach(async () => {
    vi.restoreAllMocks();
    for (const a of agents.splice(0)) await a.stop();
  });

  for (const stepMs of [-10 * 60_000, 10 * 60_000]) {
    it(`detects a stopped member as usual and suspects no one else, with the wall clock stepped ${stepMs > 0 ? 'forward' : 'back'} 10 minutes`, async () => {
      const addrs = await Promise.all(['a', 'b', 'c'].map(async () => `${HOST}:${await freePort(HOST)}`));
      for (const [i, name] of ['a', 'b', 'c'].entries()) {
        agents.push(await GossipAgent.start({ name, addr: addrs[i]!, meta: { role: 'client', datacenter: 'dc1', rpcAddr: '', apiAddr: '', version: '0.2.0' }, cluster: 'wall', config, join: i === 0 ? [] : [addrs[0]!], logger: quiet }));
      }
      const [a, b, c] = agents as [GossipAgent, GossipAgent, GossipAgent];
      const alive = (g: GossipAgent, name: string) => g.member(name)?.state === 'alive';
      await vi.waitFor(() => expect([a, b].every((g) => ['a', 'b', 'c'].every((n) => alive(g, n)))).toBe(true), { timeout: 10_000 });
      const real = Date.now.bind(Date);
      vi.spyOn(Date, 'now').mockImplementation(() => real() + stepMs);
      const suspected = new Set<string>();
      const watch = setInterval(() => {
        for (const g of [a, b]) for (const m of g.members()) if (m.name !== 'c' && m.state !== 'alive') suspected.add(`${m.name} at ${g === a ? 'a' : 'b'}`);
      }, 20);
      try {
        await c.stop();
        const began = performance.now();
        await vi.waitFor(() => expect([a, b].every((g) => g.member('c')?.state !== 'alive')).toBe(true), { timeout: 10_000, interval: 50 });
        expect(performance.now() - began).toBeLessThan(8000);
      } finally {
        clearInterval(watch);
      }
      expect([...suspected]).toEqual([]);
    }, 30_000);
  }
});
