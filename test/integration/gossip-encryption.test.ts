import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, TestCluster } from './cluster-harness.js';
import { droppedOn, failedEvents, membersOf, roster } from './gossip-pool-watch.js';

/**
 * Gossip encryption on real processes: three servers and two agents with one key form a pool;
 * an agent with another key, and one with none, never join, and what they send is dropped and
 * counted in the servers' /metrics. A bad key refuses to start in one line naming the setting.
 */
const MAIN = resolve(import.meta.dirname, '../../src/cmd/main.ts');
const KEY = randomBytes(32).toString('base64');

describe('an encrypted gossip pool', () => {
  let c: TestCluster;
  beforeAll(async () => {
    c = await TestCluster.start({ servers: 3, hostBase: 224, gossip: { extraArgs: [] }, extraArgs: ['--encrypt', KEY], http: true });
    await c.startAgent('good-1', '127.0.0.228', ['--encrypt', KEY]);
    await c.startAgent('good-2', '127.0.0.229', ['--encrypt', KEY]);
  }, 60_000);
  afterAll(async () => {
    await c?.destroy();
  });

  it('forms with every member alive on every server; roster keyring --list shows one key on all five', async () => {
    for (const s of c.servers) {
      await eventually(`${s.name} sees all five alive`, async () => {
        const m = await membersOf(s);
        return m.size === 5 && [...m.values()].every((st) => st === 'alive') ? true : undefined;
      }, 20_000);
    }
    const list = await roster(['keyring', '--list', '--endpoint', c.servers[1]!.clientAddr]);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/sha256:[0-9a-f]{16}\s+5\/5\s+5\/5/);
    expect(list.stdout).toContain('5 of 5 members answered');
    const bad = await roster(['keyring', '--install', randomBytes(20).toString('base64'), '--endpoint', c.servers[0]!.clientAddr]);
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim()).toBe('roster: key: a key is 16, 24 or 32 bytes, this one is 20 (make one with roster keygen)');
    // The key itself is shown nowhere: not in the CLI's output, not in any log.
    expect(list.stdout).not.toContain(KEY);
    expect([...c.servers, ...c.agents].some((p) => p.log.some((l) => l.includes(KEY)))).toBe(false);
  });

  it('an agent with a wrong key and one with no key never join; their packets are counted as dropped in /metrics', async () => {
    const sum = async (reason: string): Promise<number> => (await Promise.all(c.servers.map((s) => droppedOn(s, 'gossip', reason)))).reduce((a, b) => a + b, 0);
    const [undecryptableBefore, plaintextBefore] = [await sum('undecryptable'), await sum('plaintext')];
    const wrong = await c.startAgent('wrong-key', '127.0.0.228', ['--encrypt', randomBytes(32).toString('base64')]);
    const none = await c.startAgent('no-key', '127.0.0.229');
    await eventually('both retried their join at least twice', async () => (wrong.log.filter((l) => l.includes('gossip join attempt failed')).length >= 2 && none.log.filter((l) => l.includes('gossip join attempt failed')).length >= 2 ? true : undefined), 20_000);
    const undecryptable = (await sum('undecryptable')) - undecryptableBefore;
    const plaintext = (await sum('plaintext')) - plaintextBefore;
    console.log(`dropped by the servers: ${undecryptable} undecryptable (wrong key), ${plaintext} plaintext (no key)`);
    expect(undecryptable).toBeGreaterThanOrEqual(2);
    expect(plaintext).toBeGreaterThanOrEqual(2);
    for (const s of c.servers) {
      const m = await membersOf(s);
      expect(m.has('wrong-key') || m.has('no-key'), `${s.name}'s members`).toBe(false);
    }
    // And nobody in the pool was hurt by it.
    expect(failedEvents([...c.servers, ...c.agents.filter((a) => a.name.startsWith('good'))])).toEqual([]);
    c.signalAgent(wrong, 'SIGKILL');
    c.signalAgent(none, 'SIGKILL');
  });

  it('a bad key refuses to start in one line naming the setting (flag or config file); roster keygen prints a 32-byte key', () => {
    const short = randomBytes(20).toString('base64');
    const r = spawnSync(process.execPath, ['--import', 'tsx', MAIN, 'agent', '--name', 'bad', '--gossip-addr', '127.0.0.228:1', '--encrypt', short], { encoding: 'utf8', timeout: 30_000 });
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual(['roster: --encrypt: a key is 16, 24 or 32 bytes, this one is 20 (make one with roster keygen)']);
    const dir = mkdtempSync(join(tmpdir(), 'roster-enc-'));
    try {
      writeFileSync(join(dir, 'agent.json'), JSON.stringify({ name: 'bad', gossip_addr: '127.0.0.228:1', encrypt: 'not base64!' }));
      const f = spawnSync(process.execPath, ['--import', 'tsx', MAIN, 'agent', '--config-file', join(dir, 'agent.json')], { encoding: 'utf8', timeout: 30_000 });
      expect(f.status).toBe(2);
      expect(f.stderr.trim().split('\n')).toHaveLength(1);
      expect(f.stderr.trim()).toMatch(/^roster: --encrypt: not base64 .*\(set in .*agent\.json: encrypt\)$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const k = spawnSync(process.execPath, [resolve(import.meta.dirname, '../../bin/roster.mjs'), 'keygen'], { encoding: 'utf8', timeout: 30_000 });
    expect(k.status).toBe(0);
    expect(Buffer.from(k.stdout.trim(), 'base64').length).toBe(32);
  });
});
