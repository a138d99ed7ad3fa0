import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dec, enc, eventually, freePort, TestCluster, type ServerProc } from './cluster-harness.js';

/**
 * Snapshots of a state that holds every kind of record the stores keep: plain and empty etcd
 * values, a lease with keys attached (its index entries are empty LevelDB values, the shape
 * that once made every snapshot unverifiable), a registered service with checks, a TTL check,
 * a service attached to a lease, a session and a lock; and the members table.
 */
const ROSTER = resolve(import.meta.dirname, '../../bin/roster.mjs');

function roster(args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [ROSTER, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status ?? -1, out: r.stdout.trim(), err: r.stderr.trim() };
}

interface Peer {
  name: string;
  membership: string;
  matchIndex: number;
  snapshotFailures: number;
  lastSnapshotError: string;
}

interface Kv {
  key: Buffer;
  value: Buffer;
  lease: string;
}

interface Instance {
  service: { id: string; name: string };
  node: { name: string };
  checks: { id: string; status: string; type: string }[];
}

/** Writes one record of every kind; returns what to read back. */
async function populate(c: TestCluster, s: ServerProc): Promise<{ lease: string; session: string }> {
  const g = await c.call<{ ID: string }>(s, 'Lease', 'LeaseGrant', { TTL: 600, ID: 0 });
  await c.call(s, 'KV', 'Put', { key: enc('app/plain'), value: enc('hello') });
  await c.call(s, 'KV', 'Put', { key: enc('app/empty'), value: Buffer.alloc(0) });
  await c.call(s, 'KV', 'Put', { key: enc('app/leased-a'), value: enc('la'), lease: g.ID });
  await c.call(s, 'KV', 'Put', { key: enc('app/leased-empty'), value: Buffer.alloc(0), lease: g.ID });
  await c.call(s, 'KV', 'Put', { key: enc('app/gone'), value: enc('x') });
  await c.call(s, 'KV', 'DeleteRange', { key: enc('app/gone') });
  await c.rcall(s, 'Catalog', 'Register', {
    node: { name: 'host-1', address: '10.9.0.1' },
    service: { name: 'web', id: 'web-1', port: 8080, tags: ['v1'] },
    checks: [
      { id: 'serfHealth', name: 'gossip', status: 'PASSING', type: 'gossip' },
      { id: 'web-1-http', name: 'http', status: 'PASSING', type: 'http', serviceId: 'web-1', definition: { url: 'http://10.9.0.1:8080/health' } },
    ],
  });
  await c.rcall(s, 'Catalog', 'Register', { node: { name: 'host-1', address: '10.9.0.1' }, skipNodeUpdate: true, service: { name: 'api', id: 'api-1', port: 9000 }, serviceTtlMs: 600_000 });
  await c.rcall(s, 'Catalog', 'Register', { node: { name: 'host-1', address: '10.9.0.1' }, skipNodeUpdate: true, service: { name: 'leased-svc', id: 'leased-1', port: 7000 }, lease: g.ID });
  const session = (await c.rcall<{ id: string }>(s, 'Sessions', 'Create', { node: 'host-1', name: 'holder', ttlMs: 600_000, lockDelayMs: -1 })).id;
  const acquired = await c.rcall<{ acquired: boolean }>(s, 'Locks', 'Acquire', { key: enc('locks/job'), value: enc('holder-1'), session });
  expect(acquired.acquired).toBe(true);
  return { lease: g.ID, session };
}

/** Reads every record `populate` wrote back from `s`, serializable when `local` (a learner). */
async function readBack(c: TestCluster, s: ServerProc, want: { lease: string; session: string }, local = false): Promise<void> {
  const kvs = (await c.call<{ kvs: Kv[] }>(s, 'KV', 'Range', { key: enc('app/'), rangeEnd: enc('app0'), serializable: local })).kvs;
  expect(kvs.map((kv) => [dec(kv.key), dec(kv.value), kv.lease])).toEqual([
    ['app/empty', '', '0'],
    ['app/leased-a', 'la', want.lease],
    ['app/leased-empty', '', want.lease],
    ['app/plain', 'hello', '0'],
  ]);
  if (local) return; // the registry's reads are linearizable; a learner is checked by its keys
  const ttl = await c.call<{ TTL: string; keys: Buffer[] }>(s, 'Lease', 'LeaseTimeToLive', { ID: want.lease, keys: true });
  expect(Number(ttl.TTL)).toBeGreaterThan(0);
  expect(ttl.keys.map(dec).sort()).toEqual(['app/leased-a', 'app/leased-empty']);
  const instances = async (service: string): Promise<Instance[]> => (await c.rcall<{ instances: Instance[] }>(s, 'Health', 'ServiceInstances', { service })).instances;
  expect((await instances('web')).map((i) => [i.service.id, i.node.name, i.checks.map((k) => `${k.id}:${k.status}`).sort()])).toEqual([['web-1', 'host-1', ['serfHealth:PASSING', 'web-1-http:PASSING']]]);
  expect((await instances('api')).map((i) => i.checks.map((k) => `${k.id}:${k.type}:${k.status}`))).toEqual([['serfHealth:gossip:PASSING', 'service:api-1:ttl:PASSING']]);
  expect((await instances('leased-svc')).map((i) => i.service.id)).toEqual(['leased-1']);
  const onNode = await c.rcall<{ services: { id: string; lease: string }[] }>(s, 'Catalog', 'NodeServices', { node: 'host-1' });
  expect(onNode.services.map((x) => [x.id, x.lease]).sort()).toEqual([
    ['api-1', '0'],
    ['leased-1', want.lease],
    ['web-1', '0'],
  ]);
  const info = await c.rcall<{ session: { id: string; name: string } }>(s, 'Sessions', 'Info', { id: want.session });
  expect(info.session).toMatchObject({ id: want.session, name: 'holder' });
  const lock = await c.rcall<{ lock: { value: Buffer; session: string } }>(s, 'Locks', 'Get', { key: enc('locks/job') });
  expect([dec(lock.lock.value), lock.lock.session]).toEqual(['holder-1', want.session]);
}

describe('snapshots of a state with every kind of record (leases, empty values, registry, sessions, locks)', () => {
  let c: TestCluster;
  let written: { lease: string; session: string; index: number };
  const tmp = mkdtempSync(join(tmpdir(), 'roster-snapstate-'));
  const started: ChildProcess[] = [];
  beforeAll(async () => {
    // Compaction every 20 entries keeping 5: a new member's log is long gone, so it must be
    // brought up by InstallSnapshot.
    c = await TestCluster.start({ servers: 3, hostBase: 130, snapshotEvery: 20, snapshotKeepTail: 5 });
    const leader = await c.waitForLeader();
    written = { ...(await populate(c, leader)), index: (await c.status(leader)).applied };
  });
  afterAll(async () => {
    for (const p of started) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
    await c?.destroy();
    rmSync(tmp, { recursive: true, force: true });
  });

  /** Inspects `file`, restores it into a new data dir on `host`, starts that server alone and reads every record back from it. */
  const restoreAndReadBack = async (file: string, host: string): Promise<void> => {
    const inspected = roster(['snapshot', 'inspect', file, '--format', 'json']);
    expect(inspected.code, inspected.err).toBe(0);
    const info = JSON.parse(inspected.out) as { index: number; records: number };
    expect(info.records).toBeGreaterThan(10);
    const peer = `${host}:${await freePort(host)}`;
    const clientAddr = `${host}:${await freePort(host)}`;
    const dir = join(tmp, `restored-${host}`);
    const restored = roster(['snapshot', 'restore', file, '--name', 'r1', '--data-dir', dir, '--initial-cluster', `r1=${peer}`]);
    expect(restored.code, restored.err).toBe(0);
    const proc = spawn(process.execPath, [ROSTER, 'agent', '--server', '--name', 'r1', '--data-dir', dir, '--peer-addr', peer, '--client-addr', clientAddr, '--initial-cluster', `r1=${peer}`], { stdio: 'ignore' });
    started.push(proc);
    try {
      const r1 = { name: 'r1', clientAddr } as unknown as ServerProc;
      await eventually('the restored server to lead its new cluster', async () => ((await c.status(r1)).leader !== '0' ? true : undefined), 30_000);
      await readBack(c, r1, written);
    } finally {
      proc.kill('SIGKILL');
    }
  };

  it('snapshot save, inspect and restore into a new data dir; the restored server serves every record', async () => {
    const leader = await c.waitForLeader();
    const file = join(tmp, 'state.snap');
    const saved = roster(['snapshot', 'save', file, '--endpoint', leader.clientAddr]);
    expect(saved.code, saved.err).toBe(0);
    await restoreAndReadBack(file, '127.0.0.138');
  });

  it("etcdctl snapshot save (etcd's Maintenance.Snapshot) writes a file roster snapshot restore takes, from a follower too", async () => {
    const leader = await c.waitForLeader();
    const follower = c.servers.find((s) => s !== leader)!;
    const file = join(tmp, 'etcdctl.snap');
    const r = spawnSync('etcdctl', ['--endpoints', follower.clientAddr, 'snapshot', 'save', file], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(`Snapshot saved at ${file}`);
    await restoreAndReadBack(file, '127.0.0.139');
  });

  it('a new member added as a learner catches up by InstallSnapshot within 30 s and is promoted', async () => {
    const leader = await c.waitForLeader();
    // More writes, so that the log is compacted well past everything above.
    for (let i = 0; i < 60; i++) await c.call(leader, 'KV', 'Put', { key: enc(`fill/${i}`), value: i % 2 === 0 ? Buffer.alloc(0) : enc(`v${i}`) });
    const fresh = await c.addServer();
    const added = roster(['operator', 'raft', 'add-learner', fresh.name, fresh.peerAddr, '--endpoint', leader.clientAddr]);
    expect(added.code, added.err).toBe(0);
    const began = Date.now();
    await c.launch(fresh, 'existing');
    const installed = await eventually('the learner to install a snapshot', async () => fresh.log.find((l) => l.includes('installed snapshot')), 30_000);
    // Taken after everything populate() wrote (the log below it compacted): those records came in the snapshot.
    expect(Number(/"index":(\d+)/.exec(installed)?.[1])).toBeGreaterThan(written.index);
    await eventually(
      'the learner to catch up',
      async () => {
        const [l, f] = await Promise.all([c.status(leader), c.status(fresh)]);
        return f.isLearner && f.applied >= l.applied ? true : undefined;
      },
      30_000,
    );
    const caughtUpMs = Date.now() - began;
    expect(caughtUpMs).toBeLessThan(30_000);
    await readBack(c, fresh, written, true);
    const peers = JSON.parse(roster(['operator', 'raft', 'list-peers', '--endpoint', leader.clientAddr, '--format', 'json']).out) as Peer[];
    expect(peers.find((p) => p.name === fresh.name)).toMatchObject({ membership: 'learner', snapshotFailures: 0, lastSnapshotError: '' });
    const promoted = roster(['operator', 'raft', 'promote', fresh.name, '--endpoint', leader.clientAddr, '--format', 'json']);
    expect(promoted.code, promoted.err).toBe(0);
    expect((JSON.parse(promoted.out) as Peer[]).find((p) => p.name === fresh.name)?.membership).toBe('voter');
    console.log(`snapshot-state: the learner caught up through InstallSnapshot in ${caughtUpMs} ms`);
  });

  it('a snapshot the follower cannot take is retried with back-off, not at every heartbeat, and list-peers shows why', async () => {
    const leader = await c.waitForLeader();
    const fresh = await c.addServer();
    await c.launch(fresh, 'existing'); // running, not yet a member: nobody sends it anything
    // Its snapshot directory becomes a file: every snapshot it is sent fails to be received.
    const snapDir = join(fresh.dataDir, 'snap');
    rmSync(snapDir, { recursive: true, force: true });
    writeFileSync(snapDir, 'not a directory');
    const added = roster(['operator', 'raft', 'add-learner', fresh.name, fresh.peerAddr, '--endpoint', leader.clientAddr]);
    expect(added.code, added.err).toBe(0);
    const peerOf = (): Peer => {
      const listed = roster(['operator', 'raft', 'list-peers', '--endpoint', leader.clientAddr, '--format', 'json']);
      return (JSON.parse(listed.out) as Peer[]).find((p) => p.name === fresh.name)!;
    };
    const first = await eventually('a failed snapshot to show in list-peers', async () => {
      const p = peerOf();
      return p.snapshotFailures > 0 ? p : undefined;
    });
    expect(first.lastSnapshotError).toMatch(/ENOTDIR|not a directory/);
    const table = roster(['operator', 'raft', 'list-peers', '--endpoint', leader.clientAddr]);
    expect(table.out).toMatch(new RegExp(`${fresh.name}\\s.*snapshot failed \\d+x, last \\d+ms ago`));
    // Heartbeats go out every 50 ms: without back-off that is up to ~60 attempts in 3 s.
    const from = Date.now();
    await new Promise((r) => setTimeout(r, 3000));
    const later = peerOf();
    const attempts = later.snapshotFailures - first.snapshotFailures;
    expect(attempts, `${attempts} attempts in ${Date.now() - from} ms`).toBeLessThanOrEqual(4);
    // Repaired, it is caught up at the next attempt (the back-off is capped) and the failures clear.
    rmSync(snapDir, { force: true });
    mkdirSync(snapDir);
    await eventually('the learner to install a snapshot after the repair', async () => (fresh.log.some((l) => l.includes('installed snapshot')) ? true : undefined), 40_000);
    await eventually('list-peers to clear the failures', async () => (peerOf().snapshotFailures === 0 ? true : undefined), 10_000);
    expect(peerOf().lastSnapshotError).toBe('');
    await readBack(c, fresh, written, true);
    console.log(`snapshot-state: ${later.snapshotFailures} failed snapshots to the broken learner, ${attempts} of them in 3 s of back-off`);
  });
});
