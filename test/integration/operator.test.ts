import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dec, enc, eventually, freePort, TestCluster } from './cluster-harness.js';

const ROSTER = resolve(import.meta.dirname, '../../bin/roster.mjs');

interface Peer {
  name: string;
  membership: string;
  leader: boolean;
  matchIndex: number;
  lastContactMs: number;
  peerAddr: string;
}

function roster(args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [ROSTER, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status ?? -1, out: r.stdout.trim(), err: r.stderr.trim() };
}

describe('the roster operator commands', () => {
  let c: TestCluster;
  const tmp = mkdtempSync(join(tmpdir(), 'roster-op-'));
  beforeAll(async () => {
    c = await TestCluster.start({ servers: 3, hostBase: 80 });
  });
  afterAll(async () => {
    await c?.destroy();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('list-peers shows every member, the leader, match indexes and last contact', async () => {
    const leader = await c.waitForLeader();
    await c.call(leader, 'KV', 'Put', { key: enc('x'), value: enc('1') });
    const follower = c.servers.find((s) => s !== leader)!;
    const r = roster(['operator', 'raft', 'list-peers', '--endpoint', follower.clientAddr, '--format', 'json']);
    expect(r.code, r.err).toBe(0);
    const peers = JSON.parse(r.out) as Peer[];
    expect(peers.map((p) => p.name)).toEqual(['n1', 'n2', 'n3']);
    expect(peers.filter((p) => p.leader).map((p) => p.name)).toEqual([leader.name]);
    for (const p of peers) {
      expect(p.membership).toBe('voter');
      expect(p.matchIndex).toBeGreaterThan(1);
      expect(p.lastContactMs).toBeGreaterThanOrEqual(0);
      expect(p.lastContactMs).toBeLessThan(5000);
    }
    const table = roster(['operator', 'raft', 'list-peers', '--endpoint', follower.clientAddr]);
    expect(table.out.split('\n')[0]).toMatch(/^NAME\s+MEMBER ID\s+PEER ADDR\s+CLIENT ADDR\s+MEMBERSHIP\s+LEADER\s+MATCH\s+LAST CONTACT/);
  });

  it('adds a learner, promotes it, transfers leadership to it, and removes another member', async () => {
    const leader = await c.waitForLeader();
    const fresh = await c.addServer();
    const ep = leader.clientAddr;
    expect(roster(['operator', 'raft', 'add-learner', fresh.name, fresh.peerAddr, '--endpoint', ep]).code).toBe(0);
    await c.launch(fresh, 'existing');
    let peers: Peer[] = [];
    for (let i = 0; i < 100; i++) {
      peers = JSON.parse(roster(['operator', 'raft', 'list-peers', '--endpoint', ep, '--format', 'json']).out) as Peer[];
      const l = peers.find((p) => p.name === fresh.name);
      if (l !== undefined && l.matchIndex >= Math.max(...peers.map((p) => p.matchIndex)) - 1) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(peers.find((p) => p.name === fresh.name)?.membership).toBe('learner');
    const promoted = roster(['operator', 'raft', 'promote', fresh.name, '--endpoint', ep, '--format', 'json']);
    expect(promoted.code, promoted.err).toBe(0);
    expect((JSON.parse(promoted.out) as Peer[]).find((p) => p.name === fresh.name)?.membership).toBe('voter');
    const moved = roster(['operator', 'raft', 'transfer-leader', fresh.name, '--endpoint', ep]);
    expect(moved.code, moved.err).toBe(0);
    expect(await c.waitForLeader()).toBe(fresh);
    const victim = c.running().find((s) => s !== fresh)!;
    const removed = roster(['operator', 'raft', 'remove-peer', victim.name, '--endpoint', fresh.clientAddr, '--format', 'json']);
    expect(removed.code, removed.err).toBe(0);
    // Gone from the configuration: absent, or listed as "leaving" while the leader still sends
    // it its own removal (it is no longer counted for any quorum).
    const after = (JSON.parse(removed.out) as Peer[]).find((p) => p.name === victim.name);
    expect(after === undefined || after.membership === 'leaving', JSON.stringify(after)).toBe(true);
    await c.stop(victim);
  });

  it('refuses bad input in one line with a non-zero exit', () => {
    const bad = roster(['operator', 'raft', 'promote', '--endpoint', c.running()[0]!.clientAddr]);
    expect(bad.code).toBe(2);
    expect(bad.err.split('\n')).toHaveLength(1);
    const unknown = roster(['operator', 'raft', 'add-learner', 'nope', 'not-an-address', '--endpoint', c.running()[0]!.clientAddr]);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toMatch(/peer_addr must be host:port/);
  });

  it("saves a snapshot and restores a new cluster from it, without the old servers' catalog nodes", async () => {
    const leader = await c.waitForLeader();
    for (let i = 0; i < 20; i++) await c.call(leader, 'KV', 'Put', { key: enc(`saved/${i}`), value: enc(`v${i}`) });
    // The catalog as gossip leaves it: a node with a passing member check for every server, and
    // an application host with a service.
    const serfHealth = [{ id: 'serfHealth', name: 'Roster member health', status: 'PASSING', type: 'gossip' }];
    const oldServers = c.running().map((s) => s.name);
    for (const name of oldServers) await c.rcall(leader, 'Catalog', 'Register', { node: { name, address: '10.9.0.1', meta: { 'roster-role': 'server' } }, checks: serfHealth });
    await c.rcall(leader, 'Catalog', 'Register', { node: { name: 'app-host', address: '10.9.0.2' }, service: { name: 'web', id: 'web-1', port: 80 }, checks: serfHealth });
    const file = join(tmp, 'state.snap');
    const saved = roster(['snapshot', 'save', file, '--endpoint', leader.clientAddr]);
    expect(saved.code, saved.err).toBe(0);
    // inspect reads the whole file and checks it before it says anything.
    const inspected = roster(['snapshot', 'inspect', file, '--format', 'json']);
    expect(inspected.code, inspected.err).toBe(0);
    const info = JSON.parse(inspected.out) as { index: number; voters: string[]; records: number; bytes: number };
    expect(info.voters.sort()).toEqual(c.servers.filter((s) => s.proc !== undefined).map((s) => s.name).sort());
    expect(info.records).toBeGreaterThanOrEqual(20);
    expect(info.index).toBeGreaterThan(20);
    const damaged = join(tmp, 'damaged.snap');
    writeFileSync(damaged, readFileSync(file).subarray(0, Math.floor(info.bytes / 2)));
    const refused = roster(['snapshot', 'inspect', damaged]);
    expect(refused.code).not.toBe(0);
    expect(refused.err.split('\n')).toHaveLength(1);
    const host = '127.0.0.99';
    const peer = `${host}:${await freePort(host)}`;
    const client = `${host}:${await freePort(host)}`;
    const dir = join(tmp, 'restored');
    const restored = roster(['snapshot', 'restore', file, '--name', 'r1', '--data-dir', dir, '--initial-cluster', `r1=${peer}`]);
    expect(restored.code, restored.err).toBe(0);
    expect(restored.out).toContain(`the old servers ${[...oldServers].sort().join(',')} leave the catalog`);
    const proc = spawn(process.execPath, [ROSTER, 'agent', '--server', '--name', 'r1', '--data-dir', dir, '--peer-addr', peer, '--client-addr', client, '--initial-cluster', `r1=${peer}`], { stdio: 'ignore' });
    try {
      const probe = { servers: [], clientAddr: client } as unknown as Parameters<TestCluster['call']>[0];
      let kvs: { value: Buffer }[] = [];
      for (let i = 0; i < 100 && kvs.length < 20; i++) {
        try {
          kvs = (await c.call<{ kvs: { value: Buffer }[] }>(probe, 'KV', 'Range', { key: enc('saved/'), rangeEnd: enc('saved0') }, { timeoutMs: 1000 })).kvs;
        } catch {
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      expect(kvs.map((kv) => dec(kv.value)).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `v${i}`).sort());
      // The new leader removes the old servers' nodes; the application host stays.
      const nodes = await eventually('the old servers out of the catalog', async () => {
        const r = await c.rcall<{ nodes: { name: string }[] }>(probe, 'Catalog', 'ListNodes', {}, { timeoutMs: 1000 });
        const names = r.nodes.map((n) => n.name).sort();
        return names.some((n) => oldServers.includes(n)) ? undefined : names;
      });
      expect(nodes).toEqual(['app-host']);
    } finally {
      proc.kill('SIGKILL');
    }
  });
});
