import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { runKeyringOperation } from '../../src/agent/gossip/keyring-fanout.js';
import type { MemberView } from '../../src/gossip/member-table.js';
import type { Envelope__Output } from '../../src/gen/gossip/roster/gossip/v1/Envelope.js';
import { encodeKeyringAnswer, encodeKeyringAsk, keyringAnswerOf, keyringAskOf, type KeyringAnswer } from '../../src/transport/gossip-keyring-wire.js';
import { decodeEnvelope, envelope, GOSSIP_WIRE_VERSION, WireDrop } from '../../src/transport/gossip-wire.js';

const member = (name: string, state: MemberView['state']): MemberView => ({ name, state, addr: `127.0.0.1:${name.length}`, incarnation: 1, meta: { role: 'client', datacenter: 'dc1', rpcAddr: '', apiAddr: '', version: '1' } }) as MemberView;
const answer = (fps: string[]): KeyringAnswer => ({ ok: true, error: '', fingerprints: fps, primary: fps[0]! });

describe('keyring fan-out', () => {
  it('asks every alive and suspect member, itself last, and reports each failure by name', async () => {
    const order: string[] = [];
    const out = await runKeyringOperation(
      {
        self: 'me',
        members: () => [member('me', 'alive'), member('a', 'alive'), member('b', 'suspect'), member('gone', 'dead'), member('left', 'left'), member('slow', 'alive'), member('refuses', 'alive')],
        local: () => {
          order.push('me');
          return Promise.resolve(answer(['k2', 'k1']));
        },
        remote: (m) => {
          order.push(m.name);
          if (m.name === 'slow') return new Promise<KeyringAnswer>(() => undefined);
          if (m.name === 'refuses') return Promise.reject(new Error('connection refused'));
          return Promise.resolve(answer(m.name === 'b' ? ['k1', 'k2'] : ['k2', 'k1']));
        },
        timeoutMs: 100,
        concurrency: 2,
      },
      { operation: 'list', key: new Uint8Array() },
    );
    expect(order.at(-1)).toBe('me');
    expect(order.sort()).toEqual(['a', 'b', 'me', 'refuses', 'slow']);
    expect(out.members).toBe(5);
    expect(out.answered).toBe(3);
    expect(out.answers.filter((a) => !a.ok).map((a) => `${a.name}: ${a.error}`)).toEqual(['refuses: connection refused', 'slow: no answer within 100 ms']);
    expect(out.keys).toEqual([
      { fingerprint: 'k2', installed: 3, primary: 2 },
      { fingerprint: 'k1', installed: 3, primary: 1 },
    ]);
  });
});

describe('keyring wire', () => {
  const raw = (body: Record<string, unknown>): Envelope__Output => {
    const t = envelope();
    return decodeEnvelope('roster', t.encode(t.fromObject({ version: GOSSIP_WIRE_VERSION, cluster: 'roster', from: 'x', ...body })).finish());
  };
  const reason = (f: () => unknown): string => {
    try {
      f();
    } catch (err) {
      if (err instanceof WireDrop) return err.reason;
      throw err;
    }
    return 'accepted';
  };

  it('round-trips a request and an answer', () => {
    const key = randomBytes(24);
    const ask = keyringAskOf(decodeEnvelope('roster', encodeKeyringAsk('roster', 'n1', { operation: 'install', key })));
    expect(ask.from).toBe('n1');
    expect(ask.ask.operation).toBe('install');
    expect(Buffer.compare(ask.ask.key, key)).toBe(0);
    const a = { ok: false, error: 'no', fingerprints: ['sha256:00', 'sha256:01'], primary: 'sha256:00' };
    expect(keyringAnswerOf(decodeEnvelope('roster', encodeKeyringAnswer('roster', '', a)))).toEqual(a);
  });

  it('drops an unknown operation, a key of no AES size, a list with a key, and an answer over its bounds', () => {
    expect(reason(() => keyringAskOf(raw({ keyringRequest: { operation: 'wipe', key: randomBytes(32) } })))).toBe('malformed');
    expect(reason(() => keyringAskOf(raw({ keyringRequest: { operation: 'install', key: randomBytes(20) } })))).toBe('malformed');
    expect(reason(() => keyringAskOf(raw({ keyringRequest: { operation: 'list', key: randomBytes(16) } })))).toBe('malformed');
    expect(reason(() => keyringAskOf(raw({ ping: { seq: 1, target: 'y' } })))).toBe('malformed');
    expect(reason(() => keyringAnswerOf(raw({ keyringReply: { ok: true, fingerprints: Array.from({ length: 65 }, (_, i) => String(i)) } })))).toBe('malformed');
    expect(reason(() => keyringAnswerOf(raw({ keyringReply: { ok: true, primary: 'x'.repeat(65) } })))).toBe('malformed');
    expect(keyringAnswerOf(raw({ keyringReply: { ok: false, error: 'e'.repeat(5000) } })).error).toHaveLength(1024);
  });
});
