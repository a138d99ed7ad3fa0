import { EventEmitter } from 'node:events';
import type { FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { blockingOf, blockingRead, MAX_WAIT_MS } from '../../src/agent/http/blocking.js';

const request = (query: Record<string, string>, socket = new EventEmitter()): FastifyRequest => ({ query, raw: { socket } }) as unknown as FastifyRequest;

describe('blocking queries', () => {
  it('no index (or 0) answers at once; wait is a Go duration capped at 10 minutes, plus at most wait/16', () => {
    expect(blockingOf(request({}))).toBeUndefined();
    expect(blockingOf(request({ index: '0' }))).toBeUndefined();
    const now = performance.now();
    const capped = blockingOf(request({ index: '5', wait: '1h' }), () => 1)!;
    expect(capped.untilMs - now).toBeGreaterThanOrEqual(MAX_WAIT_MS);
    expect(capped.untilMs - now).toBeLessThanOrEqual(MAX_WAIT_MS * (1 + 1 / 16) + 50);
    expect(() => blockingOf(request({ index: '5', wait: 'soon' }))).toThrow(/Invalid wait time/);
    expect(() => blockingOf(request({ index: '-1' }))).toThrow(/Invalid index/);
  });

  it('one keep-alive connection carrying many blocking queries keeps no listener; a client that goes away ends its wait', async () => {
    const socket = new EventEmitter();
    let index = 10;
    for (let i = 0; i < 50; i++) {
      const b = blockingOf(request({ index: String(index), wait: '5s' }, socket))!;
      let wake: () => void = () => undefined;
      const answer = blockingRead(b, { subscribe: (w) => ((wake = w), () => undefined), read: () => Promise.resolve(index), newer: (r, min) => r > min, wakeMeansChanged: false });
      index++;
      wake();
      expect(await answer).toBe(index);
    }
    expect(socket.listenerCount('close')).toBe(0);
    const b = blockingOf(request({ index: String(index), wait: '60s' }, socket))!;
    const began = performance.now();
    const pending = blockingRead(b, { subscribe: () => () => undefined, read: () => Promise.resolve(index), newer: () => false, wakeMeansChanged: false });
    socket.emit('close');
    expect(await pending).toBe(index);
    expect(performance.now() - began).toBeLessThan(1000);
    expect(socket.listenerCount('close')).toBe(0);
  });
});
