import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KeyringMember } from '../../src/agent/gossip/keyring-member.js';
import { keyringPath, openKeyring, readKeyringFile, writeKeyringFile } from '../../src/agent/gossip/keyring-store.js';
import { keyFingerprint, open, seal } from '../../src/transport/gossip-crypto.js';
import { GossipKeyring } from '../../src/transport/gossip-keyring.js';
import { silentLogger } from '../../src/util/logger.js';

const eq = (a: Uint8Array, b: Uint8Array): boolean => Buffer.compare(a, b) === 0;

describe('gossip keyring', () => {
  it('a rotation (install, use, remove) keeps every message readable at each step', () => {
    const [oldKey, newKey] = [randomBytes(32), randomBytes(32)];
    const a = new GossipKeyring([oldKey]);
    const b = new GossipKeyring([oldKey]);
    const talk = (): void => {
      // What each sends (with its primary), the other opens with its keys.
      expect(open(b.keys, seal(a.primary, Buffer.from('x')))).toBeDefined();
      expect(open(a.keys, seal(b.primary, Buffer.from('x')))).toBeDefined();
    };
    a.install(newKey);
    talk();
    b.install(newKey);
    expect(eq(a.primary, oldKey)).toBe(true);
    a.use(newKey);
    talk(); // a on the new key, b still on the old: both hold both
    b.use(newKey);
    expect(a.fingerprints()).toEqual([keyFingerprint(newKey), keyFingerprint(oldKey)]);
    a.remove(oldKey);
    b.remove(oldKey);
    talk();
    expect(a.keys.length).toBe(1);
    expect(open(a.keys, seal(oldKey, Buffer.from('x')))).toBeUndefined();
  });

  it('refuses to remove the primary and to use a key not installed, changing nothing; bad sizes are refused', () => {
    const k = randomBytes(16);
    const other = randomBytes(24);
    const r = new GossipKeyring([k]);
    expect(() => r.remove(k)).toThrow(/is the primary key/);
    expect(() => r.use(other)).toThrow(/is not installed/);
    expect(() => r.install(randomBytes(20))).toThrow(/16, 24 or 32 bytes/);
    expect(() => new GossipKeyring([])).toThrow(/at least one key/);
    expect(r.keys.length).toBe(1);
    r.install(other);
    r.install(other); // twice: once
    expect(r.keys.length).toBe(2);
    r.remove(randomBytes(32)); // not there: nothing changes
    expect(r.keys.length).toBe(2);
  });
});

describe('keyring file', () => {
  const dirs: string[] = [];
  const tmp = (): string => {
    const d = mkdtempSync(join(tmpdir(), 'roster-keyring-'));
    dirs.push(d);
    return d;
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('is written atomically, readable by its owner only, and read back in order', async () => {
    const dir = tmp();
    const path = keyringPath(dir);
    const keys = [randomBytes(32), randomBytes(16)];
    await writeKeyringFile(path, keys);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(dir, 'gossip'))).toEqual(['local.keyring']);
    const back = await readKeyringFile(path);
    expect(back!.map((k) => Buffer.from(k).toString('hex'))).toEqual(keys.map((k) => k.toString('hex')));
    expect(await readKeyringFile(join(dir, 'none'))).toBeUndefined();
  });

  it('a broken file refuses to start, naming the file', async () => {
    const dir = tmp();
    const path = keyringPath(dir);
    mkdirSync(join(dir, 'gossip'));
    for (const text of ['nope', '[]', '["AAAA"]', '[3]']) {
      writeFileSync(path, text);
      await expect(readKeyringFile(path)).rejects.toThrow(`gossip keyring file ${path}`);
    }
  });

  it('encrypt is written on the first start; from then on the file wins; without a data dir it stays in memory', async () => {
    const dir = tmp();
    const first = randomBytes(32);
    const opened = await openKeyring({ key: first, verifyIncoming: true, verifyOutgoing: true }, dir, silentLogger);
    expect(eq(opened.keyring!.primary, first)).toBe(true);
    expect(JSON.parse(readFileSync(keyringPath(dir), 'utf8'))).toEqual([first.toString('base64')]);
    // A rotation kept in the file; a later start with the old encrypt still gets the file's keys.
    const second = randomBytes(32);
    opened.keyring!.install(second);
    opened.keyring!.use(second);
    await opened.persist(opened.keyring!.keys);
    const again = await openKeyring({ key: first, verifyIncoming: true, verifyOutgoing: true }, dir, silentLogger);
    expect(again.keyring!.fingerprints()).toEqual([keyFingerprint(second), keyFingerprint(first)]);
    const memory = await openKeyring({ key: first, verifyIncoming: true, verifyOutgoing: true }, undefined, silentLogger);
    expect(eq(memory.keyring!.primary, first)).toBe(true);
    expect((await openKeyring({ key: undefined, verifyIncoming: true, verifyOutgoing: true }, tmp(), silentLogger)).keyring).toBeUndefined();
  });

  it('a member applies an operation and keeps it; one it cannot keep is undone and answered as an error', async () => {
    const k1 = randomBytes(32);
    const k2 = randomBytes(32);
    let fail = false;
    const kept: string[][] = [];
    const ring = new GossipKeyring([k1]);
    const m = new KeyringMember(ring, (keys) => (fail ? Promise.reject(new Error('disk full')) : Promise.resolve(void kept.push(keys.map(keyFingerprint)))), silentLogger);
    expect(await m.apply({ operation: 'install', key: k2 }, 't')).toEqual({ ok: true, error: '', fingerprints: [keyFingerprint(k1), keyFingerprint(k2)], primary: keyFingerprint(k1) });
    expect(await m.apply({ operation: 'remove', key: k1 }, 't')).toMatchObject({ ok: false, error: expect.stringMatching(/primary/) as unknown });
    fail = true;
    expect(await m.apply({ operation: 'use', key: k2 }, 't')).toMatchObject({ ok: false, error: expect.stringMatching(/disk full/) as unknown, primary: keyFingerprint(k1) });
    expect(eq(ring.primary, k1)).toBe(true);
    expect(kept).toEqual([[keyFingerprint(k1), keyFingerprint(k2)]]);
    expect(await new KeyringMember(undefined, () => Promise.resolve(), silentLogger).apply({ operation: 'list', key: new Uint8Array() }, 't')).toMatchObject({ ok: false, error: 'gossip encryption is not enabled on this member' });
  });
});
