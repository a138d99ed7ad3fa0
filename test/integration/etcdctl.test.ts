import { spawn, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, TestCluster } from './cluster-harness.js';

/** etcdctl (Debian's etcd-client, installed by .ci/run) talking to Roster, unchanged. */
describe('etcdctl against Roster', () => {
  let c: TestCluster;
  let endpoints: string;
  beforeAll(async () => {
    c = await TestCluster.start({ servers: 3, hostBase: 70 });
    endpoints = c.servers.map((s) => s.clientAddr).join(',');
  });
  afterAll(async () => {
    await c?.destroy();
  });

  function etcdctl(args: string[], input?: string): string {
    const r = spawnSync('etcdctl', [`--endpoints=${endpoints}`, '--command-timeout=10s', ...args], {
      encoding: 'utf8',
      input,
      env: { ...process.env, ETCDCTL_API: '3' },
    });
    if (r.error !== undefined) throw new Error(`etcdctl could not run (is etcd-client installed?): ${r.error.message}`);
    if (r.status !== 0) throw new Error(`etcdctl ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
    return r.stdout.trim();
  }

  it('put, get --prefix, del', () => {
    expect(etcdctl(['put', 'app/a', '1'])).toBe('OK');
    expect(etcdctl(['put', 'app/b', '2'])).toBe('OK');
    expect(etcdctl(['put', 'other', '3'])).toBe('OK');
    expect(etcdctl(['get', 'app/', '--prefix']).split('\n')).toEqual(['app/a', '1', 'app/b', '2']);
    expect(etcdctl(['del', 'app/a'])).toBe('1');
    expect(etcdctl(['get', 'app/', '--prefix', '--keys-only']).split('\n').filter((l) => l !== '')).toEqual(['app/b']);
  });

  it('txn with a compare, success and failure branches', () => {
    const out = etcdctl(['txn'], 'value("other") = "3"\n\nput other 4\n\nput other never\n\n');
    expect(out.split('\n')[0]).toBe('SUCCESS');
    expect(etcdctl(['get', 'other', '--print-value-only'])).toBe('4');
    const failed = etcdctl(['txn'], 'value("other") = "3"\n\nput other never\n\nput other 5\n\n');
    expect(failed.split('\n')[0]).toBe('FAILURE');
    expect(etcdctl(['get', 'other', '--print-value-only'])).toBe('5');
  });

  it('member list and endpoint status', async () => {
    // Each server publishes its client address through Raft shortly after joining.
    let members: string[] = [];
    for (let i = 0; i < 50; i++) {
      members = etcdctl(['member', 'list']).split('\n');
      if (members.every((m) => !m.includes(', ,') && m.split(', ')[4] !== '')) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(members).toHaveLength(3);
    // Client URLs without a scheme: what etcdctl --cluster dials (see cluster-service.ts).
    for (const s of c.servers) expect(members).toContain(`${BigInt((await c.status(s)).memberId).toString(16)}, started, ${s.name}, http://${s.peerAddr}, ${s.clientAddr}, false`);
    const status = JSON.parse(etcdctl(['endpoint', 'status', '-w', 'json'])) as { Status: { leader: number; raft_term: number; header: { member_id: number } } }[];
    expect(status).toHaveLength(3);
    expect(new Set(status.map((s) => String(s.Status.leader))).size).toBe(1);
    expect(status.filter((s) => s.Status.header.member_id === s.Status.leader)).toHaveLength(1);
  });

  it('endpoint status and endpoint hashkv --cluster reach every member from the member list', async () => {
    etcdctl(['put', 'cluster/hash', 'x']);
    const rev = Number((JSON.parse(etcdctl(['get', 'cluster/hash', '-w', 'json'])) as { header: { revision: number } }).header.revision);
    const hashes = await eventually('every member at the revision', async () => {
      try {
        return JSON.parse(etcdctl(['endpoint', 'hashkv', '--cluster', '--rev', String(rev), '-w', 'json'])) as { Endpoint: string; HashKV: { hash: number } }[];
      } catch {
        return undefined; // a member not there yet answers "future revision"
      }
    }, 10_000);
    expect(hashes.map((h) => h.Endpoint).sort()).toEqual(c.servers.map((s) => s.clientAddr).sort());
    expect(new Set(hashes.map((h) => h.HashKV.hash)).size).toBe(1);
    const status = JSON.parse(etcdctl(['endpoint', 'status', '--cluster', '-w', 'json'])) as { Endpoint: string }[];
    expect(status.map((s) => s.Endpoint).sort()).toEqual(c.servers.map((s) => s.clientAddr).sort());
  });

  it('member add: the response names the member; it is listed unstarted, without a name, until it starts', () => {
    const spare = '127.0.0.79:8300';
    const added = etcdctl(['member', 'add', 'n9', `--peer-urls=http://${spare}`, '--learner']);
    const id = /Member ([0-9a-f]+) added/.exec(added)?.[1];
    expect(id, added).toBeDefined();
    expect(etcdctl(['member', 'list']).split('\n')).toContain(`${id}, unstarted, , http://${spare}, , true`);
    expect(etcdctl(['member', 'remove', id!])).toContain(`Member ${id} removed`);
    expect(etcdctl(['member', 'list'])).not.toContain(spare);
  });

  it('endpoint hashkv is equal on every member at the same revision, and tells two revisions apart', async () => {
    for (let i = 0; i < 20; i++) etcdctl(['put', `hash/${i % 7}`, `v${i}`]);
    etcdctl(['del', 'hash/3']);
    const revision = Number((JSON.parse(etcdctl(['get', 'hash/0', '-w', 'json'])) as { header: { revision: number } }).header.revision);
    etcdctl(['compaction', String(revision - 5)]);
    type HashKv = { Endpoint: string; HashKV: { hash: number; compact_revision: number } }[];
    const at = async (rev: number): Promise<HashKv> =>
      eventually(`every member hashes revision ${rev}`, async () => {
        try {
          return JSON.parse(etcdctl(['endpoint', 'hashkv', '--rev', String(rev), '-w', 'json'])) as HashKv;
        } catch {
          return undefined; // a member not there yet answers "future revision"
        }
      }, 10_000);
    const now = await at(revision);
    expect(now).toHaveLength(3);
    expect(new Set(now.map((h) => h.HashKV.hash)).size).toBe(1);
    expect(now.every((h) => h.HashKV.compact_revision === revision - 5)).toBe(true);
    etcdctl(['put', 'hash/new', 'x']);
    const later = await at(revision + 1);
    expect(new Set(later.map((h) => h.HashKV.hash)).size).toBe(1);
    expect(later[0]!.HashKV.hash).not.toBe(now[0]!.HashKV.hash);
    // A revision compacted away is refused, as etcd does.
    expect(() => etcdctl(['endpoint', 'hashkv', '--rev', String(revision - 10)])).toThrow(/required revision has been compacted/);
  });

  it('watch --prefix --prev-kv prints each put and delete as it happens, and --rev replays history', async () => {
    const first = etcdctl(['put', 'w/a', 'old']);
    expect(first).toBe('OK');
    const rev = Number((JSON.parse(etcdctl(['get', 'w/a', '-w', 'json'])) as { header: { revision: number } }).header.revision);
    const watch = spawn('etcdctl', [`--endpoints=${endpoints}`, 'watch', '--prefix', '--prev-kv', `--rev=${rev}`, 'w/'], { env: { ...process.env, ETCDCTL_API: '3' } });
    let out = '';
    watch.stdout.on('data', (d: Buffer) => (out += d.toString()));
    try {
      // The replayed put comes first, so the watch is established before the live changes.
      await eventually('the replayed put', async () => (out.includes('old') ? true : undefined));
      etcdctl(['put', 'w/a', 'new']);
      etcdctl(['put', 'elsewhere', 'x']);
      etcdctl(['del', 'w/a']);
      await eventually('the delete', async () => (out.split('\n').filter((l) => l === 'DELETE').length === 1 ? true : undefined));
      expect(out.trim().split('\n')).toEqual(['PUT', 'w/a', 'old', 'PUT', 'w/a', 'old', 'w/a', 'new', 'DELETE', 'w/a', 'new', 'w/a']);
    } finally {
      watch.kill();
    }
  });

  it('lease grant, put --lease, keep-alive --once, timetolive --keys, list, revoke', () => {
    const granted = etcdctl(['lease', 'grant', '60']);
    const id = /lease ([0-9a-f]+) granted with TTL\(60s\)/.exec(granted)?.[1];
    expect(id, granted).toBeDefined();
    expect(etcdctl(['put', 'svc/one', 'up', `--lease=${id!}`])).toBe('OK');
    expect(etcdctl(['lease', 'keep-alive', '--once', id!])).toBe(`lease ${id!} keepalived with TTL(60)`);
    expect(etcdctl(['lease', 'timetolive', '--keys', id!])).toMatch(new RegExp(`^lease ${id!} granted with TTL\\(60s\\), remaining\\(\\d+s\\), attached keys\\(\\[svc/one\\]\\)$`));
    expect(etcdctl(['lease', 'list'])).toContain(id!);
    expect(etcdctl(['lease', 'revoke', id!])).toBe(`lease ${id!} revoked`);
    expect(etcdctl(['get', 'svc/one'])).toBe('');
  });

  it("returns etcd's error text for a compacted revision", () => {
    etcdctl(['put', 'rev', 'one']);
    const rev = (JSON.parse(etcdctl(['get', 'rev', '-w', 'json'])) as { header: { revision: number } }).header.revision;
    etcdctl(['put', 'rev', 'two']);
    etcdctl(['compact', String(rev + 1)]);
    expect(() => etcdctl(['get', 'rev', `--rev=${rev}`])).toThrow(/required revision has been compacted/);
  });
});
