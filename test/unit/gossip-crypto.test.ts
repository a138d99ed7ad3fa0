import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { gossipSettings } from '../../src/agent/gossip/gossip-flags.js';
import { AGENT_FLAGS } from '../../src/cmd/agent-flags.js';
import { flagOfKey } from '../../src/cmd/config/settings.js';
import { isSealed, keyFingerprint, newGossipKey, open, parseGossipKey, seal, SEALED_OVERHEAD_BYTES } from '../../src/transport/gossip-crypto.js';
import { NO_ENCRYPTION, unwrapIncoming, wrapOutgoing, type GossipEncryption } from '../../src/transport/gossip-encryption.js';
import { GossipKeyring } from '../../src/transport/gossip-keyring.js';
import { encodeGossip } from '../../src/transport/gossip-wire.js';

const ping = encodeGossip('roster', { type: 'ping', seq: 1, target: 'b', from: 'a', news: [] });

describe('gossip encryption framing', () => {
  it('seals with AES-GCM of 16, 24 and 32-byte keys: a version byte, a random nonce, the tag', () => {
    for (const size of [16, 24, 32]) {
      const key = randomBytes(size);
      const a = seal(key, ping);
      const b = seal(key, ping);
      expect(a[0]).toBe(1);
      expect(a.length).toBe(ping.length + SEALED_OVERHEAD_BYTES);
      // A fresh nonce each time: the same packet never looks the same twice.
      expect(a.subarray(1, 13).equals(b.subarray(1, 13))).toBe(false);
      expect(open([key], a)?.plain.equals(Buffer.from(ping))).toBe(true);
    }
  });

  it('tries every key in order and says which one opened it; a wrong key or a flipped bit opens nothing', () => {
    const [k1, k2, k3] = [randomBytes(32), randomBytes(32), randomBytes(16)];
    const sealed = seal(k2, ping);
    expect(Buffer.compare(open([k1, k3, k2], sealed)!.key, k2)).toBe(0);
    expect(open([k1, k3], sealed)).toBeUndefined();
    for (const at of [0, 5, 20, sealed.length - 1]) {
      const bad = Buffer.from(sealed);
      bad[at]! ^= 1;
      expect(open([k2], bad)).toBeUndefined();
    }
    expect(open([k2], sealed.subarray(0, SEALED_OVERHEAD_BYTES - 1))).toBeUndefined();
  });

  it('a plaintext envelope never looks sealed (its first byte is the tag of field 1)', () => {
    expect(ping[0]).toBe(0x08);
    expect(isSealed(ping)).toBe(false);
    expect(isSealed(seal(randomBytes(16), ping))).toBe(true);
  });

  it('keys: base64 of 16, 24 or 32 bytes; anything else is refused naming the setting, never echoing the key', () => {
    expect(parseGossipKey(newGossipKey()).length).toBe(32);
    expect(parseGossipKey(randomBytes(16).toString('base64')).length).toBe(16);
    expect(parseGossipKey(randomBytes(24).toString('base64')).length).toBe(24);
    const short = randomBytes(20).toString('base64');
    expect(() => parseGossipKey(short, '--encrypt')).toThrow('--encrypt: a key is 16, 24 or 32 bytes, this one is 20');
    expect(() => parseGossipKey('not a key!', '--encrypt')).toThrow('--encrypt: not base64');
    try {
      parseGossipKey(short, '--encrypt');
    } catch (err) {
      expect(String(err)).not.toContain(short);
    }
    expect(() => gossipSettings({ encrypt: short }, '127.0.0.1:8301')).toThrow(/^--encrypt: a key is 16, 24 or 32 bytes/);
    expect(gossipSettings({}, '127.0.0.1:8301').encryption).toEqual({ key: undefined, verifyIncoming: true, verifyOutgoing: true });
    // Consul's config keys.
    expect(['encrypt', 'encrypt_verify_incoming', 'encrypt_verify_outgoing'].map((k) => flagOfKey(k, AGENT_FLAGS))).toEqual(['encrypt', 'encrypt-verify-incoming', 'encrypt-verify-outgoing']);
    expect(gossipSettings({ encrypt: newGossipKey(), 'encrypt-verify-incoming': false }, '127.0.0.1:8301').encryption).toMatchObject({ verifyIncoming: false, verifyOutgoing: true });
  });

  it('fingerprints tell keys apart and are not the key', () => {
    const k = randomBytes(32);
    expect(keyFingerprint(k)).toMatch(/^sha256:[0-9a-f]{16}$/);
    expect(keyFingerprint(k)).toBe(keyFingerprint(Buffer.from(k)));
    expect(keyFingerprint(k)).not.toBe(keyFingerprint(randomBytes(32)));
  });
});

describe('verify_incoming and verify_outgoing', () => {
  const key = randomBytes(32);
  const enc = (verifyIncoming: boolean, verifyOutgoing: boolean): GossipEncryption => ({ keyring: new GossipKeyring([key]), verifyIncoming, verifyOutgoing });

  it('sends plaintext without a key or with verify_outgoing off; sealed otherwise', () => {
    expect(isSealed(wrapOutgoing(NO_ENCRYPTION, ping))).toBe(false);
    expect(isSealed(wrapOutgoing(enc(true, false), ping))).toBe(false);
    expect(isSealed(wrapOutgoing(enc(false, true), ping))).toBe(true);
    // A keyring request is sealed whatever verify_outgoing says.
    expect(isSealed(wrapOutgoing(enc(true, false), ping, true))).toBe(true);
  });

  it('drops plaintext only with verify_incoming on; sealed messages open whenever a key is installed', () => {
    expect(unwrapIncoming(enc(true, true), ping)).toEqual({ ok: false, reason: 'plaintext' });
    expect(unwrapIncoming(enc(false, true), ping)).toMatchObject({ ok: true, key: undefined });
    expect(unwrapIncoming(NO_ENCRYPTION, ping)).toMatchObject({ ok: true });
    const sealed = seal(key, ping);
    const opened = unwrapIncoming(enc(false, false), sealed);
    expect(opened.ok && opened.key !== undefined && Buffer.compare(opened.key, key) === 0).toBe(true);
    expect(unwrapIncoming(NO_ENCRYPTION, sealed)).toEqual({ ok: false, reason: 'undecryptable' });
    expect(unwrapIncoming(enc(true, true), seal(randomBytes(32), ping))).toEqual({ ok: false, reason: 'undecryptable' });
  });
});
