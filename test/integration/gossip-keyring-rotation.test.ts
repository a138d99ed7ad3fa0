import type * as grpc from '@grpc/grpc-js';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Endpoints } from '../../src/client/endpoints.js';
import { etcdProto } from '../../src/proto/etcd-proto.js';
import { dec, enc, eventually, TestCluster, type AgentProc } from './cluster-harness.js';
import { failedEvents, gossipDropLines, membersOf, PoolWatch, roster } from './gossip-pool-watch.js';

/**
 * THE keyring rotation: three servers and five client agents share one gossip key; while a
 * client puts and gets through the SDK, an operator installs a new key, makes it primary and
 * removes the old one with roster keyring, each step confirmed by all eight members. No member
 * is ever seen failed (in any server's members or the catalog's serfHealth, or a 'failed'
 * event in any log), no gossip is dropped, no request fails; afterwards every keyring file
 * holds the new key only, and a member with the old key is refused.
 */
const OLD = randomBytes(32).toString('base64');
const NEW = randomBytes(32).toString('base64');

describe('gossip keyring rotation on a 3-server, 5-agent pool under load', () => {
  let c: TestCluster;
  const agents: AgentProc[] = [];
  let agentDirs: string;
  beforeAll(async () => {
    c = await TestCluster.start({ servers: 3, hostBase: 114, gossip: { extraArgs: [] }, extraArgs: ['--encrypt', OLD] });
    agentDirs = mkdtempSync(join(tmpdir(), 'roster-rot-'));
    for (let i = 1; i <= 5; i++) agents.push(await c.startAgent(`app-${i}`, `127.0.0.${118 + (i % 2)}`, ['--encrypt', OLD, '--data-dir', join(agentDirs, `app-${i}`)]));
  }, 90_000);
  afterAll(async () => {
    await c?.destroy();
    rmSync(agentDirs, { recursive: true, force: true });
  });

  const names = (): string[] => [...c.servers.map((s) => s.name), ...agents.map((a) => a.name)];

  it('install, use, remove: every member confirms each step; 0 false deaths, 0 failed requests', async () => {
    for (const s of c.servers) {
      await eventually(`${s.name} sees all eight alive`, async () => {
        const m = await membersOf(s);
        return names().every((n) => m.get(n) === 'alive') ? true : undefined;
      }, 30_000);
    }
    const leader = await c.waitForLeader();
    await eventually('every member in the catalog', async () => {
      for (const n of names()) await c.rcall(leader, 'Catalog', 'NodeServices', { node: n });
      return true;
    }, 20_000);
    const watch = new PoolWatch(c, names);
    const endpoints = new Endpoints(c.servers.map((s) => s.clientAddr));
    const KV = etcdProto().etcdserverpb.KV as unknown as grpc.ServiceClientConstructor;
    let loading = true;
    let ok = 0;
    const failures: string[] = [];
    // Bounded load: two clients, each one request at a time, a put then a get of what it wrote.
    const client = async (id: number): Promise<void> => {
      for (let i = 0; loading && i < 50_000; i++) {
        const key = enc(`rot/${id}/${i % 20}`);
        try {
          await endpoints.unary(KV, 'Put', { key, value: enc(String(i)) }, 5000);
          const got = (await endpoints.unary(KV, 'Range', { key }, 5000)) as { kvs: { value: Uint8Array }[] };
          if (dec(got.kvs[0]!.value) !== String(i)) throw new Error(`read ${dec(got.kvs[0]!.value)}, wrote ${i}`);
          ok += 2;
        } catch (err) {
          failures.push(String(err));
        }
      }
    };
    const load = Promise.all([client(1), client(2)]);
    const steps: string[][] = [['--install', NEW], ['--use', NEW], ['--remove', OLD]];
    const outputs: string[] = [];
    try {
      for (const [i, step] of steps.entries()) {
        // Each step through another server: any of them reaches the whole pool.
        const r = await roster(['keyring', ...step, '--endpoint', c.servers[i]!.clientAddr]);
        outputs.push(r.stdout);
        expect(r.code, `${step[0]}: ${r.stderr}`).toBe(0);
        expect(r.stdout).toContain('8 of 8 members answered');
      }
      const list = await roster(['keyring', '--list', '--format', 'json', '--endpoint', c.servers[2]!.clientAddr]);
      expect(list.code, list.stderr).toBe(0);
      const listed = JSON.parse(list.stdout) as { members: number; answered: number; keys: { fingerprint: string; installed: number; primary: number }[] };
      expect(listed).toMatchObject({ members: 8, answered: 8 });
      expect(listed.keys).toHaveLength(1);
      expect(listed.keys[0]).toMatchObject({ installed: 8, primary: 8 });
      // Keep the load and the watch going a little past the last step.
      const until = ok + 40;
      await eventually('more requests after the rotation', async () => (ok >= until ? true : undefined), 20_000, 50);
    } finally {
      loading = false;
      await load;
      endpoints.close();
      await watch.stop();
    }
    const deaths = [...watch.seen, ...failedEvents([...c.servers, ...agents])];
    const drops = gossipDropLines([...c.servers, ...agents]);
    console.log(`keyring rotation on 8 members: ${ok} requests succeeded, ${failures.length} failed; false deaths: ${deaths.length}; gossip drops logged: ${drops.length}`);
    console.log(outputs.join('\n'));
    expect(failures).toEqual([]);
    expect(deaths).toEqual([]);
    expect(drops).toEqual([]);
    expect(ok).toBeGreaterThan(40);
    // Kept on disk, owner-only, new key only: a restart comes back with it.
    const files = [...c.servers.map((s) => join(s.dataDir, 'gossip', 'local.keyring')), ...agents.map((a) => join(agentDirs, a.name, 'gossip', 'local.keyring'))];
    for (const f of files) {
      expect(JSON.parse(readFileSync(f, 'utf8')), f).toEqual([NEW]);
      expect(statSync(f).mode & 0o777).toBe(0o600);
    }
    // No key in any log or CLI output.
    expect([...c.servers, ...agents].some((p) => p.log.some((l) => l.includes(NEW) || l.includes(OLD)))).toBe(false);
    expect(outputs.some((o) => o.includes(NEW) || o.includes(OLD))).toBe(false);
  }, 110_000);

  it('a member restarted with the old encrypt comes back with the keyring file\'s new key and rejoins', async () => {
    const a = agents[0]!;
    const joinedBefore = a.log.filter((l) => l.includes('"msg":"gossip joined"')).length;
    c.signalAgent(a, 'SIGKILL');
    await c.startAgent(a.name, a.gossipAddr.split(':')[0]!, ['--encrypt', OLD, '--data-dir', join(agentDirs, a.name)]);
    expect(a.log.some((l) => l.includes('encrypt is not in the keyring file, which wins'))).toBe(true);
    // Its join (a push-pull, which only the new key opens now) completes.
    await eventually(`${a.name} rejoined`, async () => (a.log.filter((l) => l.includes('"msg":"gossip joined"')).length > joinedBefore ? true : undefined), 20_000);
    for (const s of c.servers) {
      await eventually(`${s.name} sees ${a.name} alive again`, async () => ((await membersOf(s)).get(a.name) === 'alive' ? true : undefined), 20_000);
    }
  });

  it('a member with only the old key is refused now; removing the primary is refused on every member, exit 1 in one line', async () => {
    const old = await c.startAgent('stale', '127.0.0.119', ['--encrypt', OLD]);
    await eventually('the old-key member is refused', async () => (old.log.filter((l) => l.includes('gossip join attempt failed')).length >= 2 ? true : undefined), 20_000);
    expect((await membersOf(c.servers[0]!)).has('stale')).toBe(false);
    c.signalAgent(old, 'SIGKILL');
    const r = await roster(['keyring', '--remove', NEW, '--endpoint', c.servers[0]!.clientAddr]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^roster: keyring remove: 0 of 8 members answered; errors: app-1: key sha256:[0-9a-f]{16} is the primary key/);
  });
});
