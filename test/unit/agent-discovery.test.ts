import { afterEach, describe, expect, it } from 'vitest';
import { AgentDiscovery } from '../../src/agent/local/agent-discovery.js';

/** A server address where nothing listens: the caches' upstream watches only retry. */
const NOWHERE = ['127.0.0.1:1'];

describe("the agent's discovery cache is bounded", () => {
  let d: AgentDiscovery | undefined;
  afterEach(() => d?.close());

  it('evicts a query unused for idleMs and watched by nobody; a watched one stays however old', () => {
    let now = 0;
    d = new AgentDiscovery(() => NOWHERE, { maxEntries: 100, idleMs: 1000 }, { now: () => now });
    const watched = d.cache('watched', false);
    const onChange = (): void => {};
    watched.on('change', onChange);
    d.cache('asked-once', false);
    now = 500;
    d.cache('recent', false);
    now = 1200;
    d.evictIdle();
    expect(d.size).toBe(2); // 'asked-once' went; 'recent' is 700 ms old
    expect(d.evictions).toBe(1);
    expect(d.cache('watched', false)).toBe(watched);
    // Once its watcher leaves, an idle entry goes at the next sweep.
    watched.off('change', onChange);
    now = 5000;
    d.evictIdle();
    expect(d.size).toBe(0);
  });

  it('makes room by evicting the least recently used unwatched query, and refuses with RESOURCE_EXHAUSTED when every one is watched or just asked for', () => {
    let now = 0;
    d = new AgentDiscovery(() => NOWHERE, { maxEntries: 2, idleMs: 600_000 }, { now: () => now });
    const a = d.cache('a', false);
    now = 1;
    d.cache('b', false);
    // Both asked for within the last 10 s: a one-shot caller may still wait for an answer.
    expect(() => d!.cache('c', false)).toThrow(expect.objectContaining({ code: 'RESOURCE_EXHAUSTED' }));
    now = 20_000;
    expect(d.cache('a', false)).toBe(a); // a is now the most recently used, and recent
    now = 31_000;
    d.cache('c', true);
    expect(d.size).toBe(2);
    expect(d.cache('a', false)).toBe(a); // b went, not a
    for (const k of ['a', 'c']) d.cache(k, k === 'c').on('change', () => {});
    now = 60_000;
    expect(() => d!.cache('d', false)).toThrow(expect.objectContaining({ code: 'RESOURCE_EXHAUSTED' }));
    expect(d.refusals).toBe(2);
    expect(d.evictions).toBe(1);
  });
});
