import { randomBytes } from 'node:crypto';
import * as net from 'node:net';
import { describe, expect, it } from 'vitest';
import { freePort } from '../integration/cluster-harness.js';
import { GossipAgent, type GossipAgentOptions } from '../../src/agent/gossip/gossip-agent.js';
import type { EncryptionSettings } from '../../src/agent/gossip/gossip-flags.js';
import { resolveGossipConfig } from '../../src/gossip/config.js';
import type { MemberMeta } from '../../src/gossip/messages.js';
import { keyFingerprint } from '../../src/transport/gossip-crypto.js';
import { encodeKeyringAsk } from '../../src/transport/gossip-keyring-wire.js';
import { droppedCount } from '../../src/util/dropped.js';
import { silentLogger } from '../../src/util/logger.js';

const meta: MemberMeta = { role: 'client', datacenter: 'dc1', rpcAddr: '', apiAddr: '', version: '0.1.0' };
const config = resolveGossipConfig({ probeIntervalMs: 200, probeTimeoutMs: 100, suspicionMult: 2 });

async function until(what: string, ok: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const enc = (key: Buffer | undefined, verifyIncoming = true, verifyOutgoing = true): EncryptionSettings => ({ key, verifyIncoming, verifyOutgoing });

async function agent(name: string, encryption: EncryptionSettings, join: readonly string[], extra: Partial<GossipAgentOptions> = {}): Promise<GossipAgent> {
  const port = await freePort('127.0.0.1');
  return GossipAgent.start({ name, addr: `127.0.0.1:${port}`, meta, cluster: 'roster', config, join, logger: silentLogger, encryption, ...extra });
}

const addrOf = (g: GossipAgent, name: string): string => g.member(name)!.addr;

describe('encrypted gossip between agents on real sockets', () => {
  it('members with the key form a pool; one with a wrong key or none cannot join, and its packets are dropped and counted', async () => {
    const key = randomBytes(32);
    const a = await agent('a', enc(key), []);
    const seed = [addrOf(a, 'a')];
    const b = await agent('b', enc(key), seed);
    const undecryptable = droppedCount('gossip', 'undecryptable');
    const plaintext = droppedCount('gossip', 'plaintext');
    const wrong = await agent('wrong', enc(randomBytes(32)), seed);
    const none = await agent('none', enc(undefined), seed);
    try {
      await until('a and b see each other', () => a.members().length === 2 && b.members().length === 2);
      await until('the wrong-key and keyless members were refused (twice each)', () => wrong.joinAttempts >= 2 && none.joinAttempts >= 2 && (a.drops.undecryptable ?? 0) >= 2 && (a.drops.plaintext ?? 0) >= 2);
      expect(wrong.joinPending && none.joinPending).toBe(true);
      expect(a.members().map((m) => m.name).sort()).toEqual(['a', 'b']);
      expect(droppedCount('gossip', 'undecryptable')).toBeGreaterThan(undecryptable);
      expect(droppedCount('gossip', 'plaintext')).toBeGreaterThan(plaintext);
    } finally {
      await Promise.all([a, b, wrong, none].map((g) => g.stop()));
    }
  });

  it('verify flags: each pair of neighbouring steps of turning encryption on understands each other; skipping a step does not', async () => {
    const key = randomBytes(32);
    // The steps of a rolling change: no key; key, accepting and sending plaintext; sending
    // sealed, still accepting plaintext; sealed only.
    const steps = [enc(undefined), enc(key, false, false), enc(key, false, true), enc(key, true, true)];
    for (let i = 0; i + 1 < steps.length; i++) {
      const a = await agent(`a${i}`, steps[i]!, []);
      const b = await agent(`b${i}`, steps[i + 1]!, [addrOf(a, `a${i}`)]);
      try {
        await until(`steps ${i} and ${i + 1} form a pool`, () => a.members().length === 2 && b.members().length === 2);
        // Long enough for several probes each way.
        await new Promise((r) => setTimeout(r, 600));
        expect([(a.drops.undecryptable ?? 0), (a.drops.plaintext ?? 0), (b.drops.undecryptable ?? 0), (b.drops.plaintext ?? 0)], `steps ${i} and ${i + 1}`).toEqual([0, 0, 0, 0]);
        expect([...a.members(), ...b.members()].every((m) => m.state === 'alive')).toBe(true);
      } finally {
        await Promise.all([a.stop(), b.stop()]);
      }
    }
    // Step 0 next to step 2: the keyless member cannot read what the other sends.
    const a = await agent('skip-a', steps[0]!, []);
    const b = await agent('skip-b', steps[2]!, [addrOf(a, 'skip-a')]);
    try {
      await until('the keyless member drops sealed packets', () => (a.drops.undecryptable ?? 0) > 0);
      expect(b.joinPending).toBe(true);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });

  it('a keyring rotation reaches every member and reports each; the old key stops working once removed', async () => {
    const k1 = randomBytes(32);
    const k2 = randomBytes(16);
    const a = await agent('a', enc(k1), []);
    const b = await agent('b', enc(k1), [addrOf(a, 'a')]);
    const c = await agent('c', enc(k1), [addrOf(a, 'a')]);
    try {
      await until('all three see all three', () => [a, b, c].every((g) => g.members().filter((m) => m.state === 'alive').length === 3));
      const install = await a.keyringOperation({ operation: 'install', key: k2 });
      expect(install).toMatchObject({ members: 3, answered: 3, keys: [{ fingerprint: keyFingerprint(k1), installed: 3, primary: 3 }, { fingerprint: keyFingerprint(k2), installed: 3, primary: 0 }] });
      expect((await b.keyringOperation({ operation: 'remove', key: k1 })).answers.every((x) => !x.ok && /primary/.test(x.error))).toBe(true);
      expect((await c.keyringOperation({ operation: 'use', key: k2 })).answered).toBe(3);
      expect((await a.keyringOperation({ operation: 'remove', key: k1 })).answered).toBe(3);
      const list = await b.keyringOperation({ operation: 'list', key: new Uint8Array() });
      expect(list.keys).toEqual([{ fingerprint: keyFingerprint(k2), installed: 3, primary: 3 }]);
      // A member still on the old key only is refused now.
      const old = await agent('old', enc(k1), [addrOf(a, 'a')]);
      try {
        await until('old refused twice', () => old.joinAttempts >= 2);
        expect(old.joinPending).toBe(true);
        // Nor can it make members change their keys: its request does not decrypt.
        const out = await old.keyringOperation({ operation: 'install', key: k1 });
        expect(out.answered).toBe(1); // itself only
      } finally {
        await old.stop();
      }
      expect([a, b, c].every((g) => g.members().every((m) => m.state === 'alive'))).toBe(true);
    } finally {
      await Promise.all([a, b, c].map((g) => g.stop()));
    }
  });

  it('a keyring request in plaintext is refused, even where plaintext gossip is accepted', async () => {
    const key = randomBytes(32);
    const a = await agent('a', enc(key, false, false), []);
    const [host, port] = addrOf(a, 'a').split(':') as [string, string];
    try {
      const before = droppedCount('gossip', 'plaintext-keyring');
      const bytes = encodeKeyringAsk('roster', 'intruder', { operation: 'install', key: randomBytes(32) });
      const head = Buffer.alloc(4);
      head.writeUInt32BE(bytes.length);
      const closed = await new Promise<string>((resolve) => {
        const s = net.connect(Number(port), host, () => s.write(Buffer.concat([head, bytes])));
        let got = 0;
        s.on('data', (d) => (got += d.length));
        s.on('close', () => resolve(`closed after ${got} bytes`));
        s.on('error', () => undefined);
      });
      expect(closed).toBe('closed after 0 bytes');
      expect(droppedCount('gossip', 'plaintext-keyring')).toBe(before + 1);
      expect((await a.keyringOperation({ operation: 'list', key: new Uint8Array() })).keys).toEqual([{ fingerprint: keyFingerprint(key), installed: 1, primary: 1 }]);
    } finally {
      await a.stop();
    }
  });
});
