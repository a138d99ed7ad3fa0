import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aclProto } from '../../src/proto/acl-proto.js';
import { etcdProto } from '../../src/proto/etcd-proto.js';
import { enc, eventually, TestCluster, type ServerProc } from './cluster-harness.js';
import { TokenCalls } from './token-calls.js';

const ROSTER = resolve(import.meta.dirname, '../../bin/roster.mjs');

/**
 * ACL state is replicated state like any other: a Consul token and an etcd user's token keep
 * working after the leader is killed, and a member added later gets them by InstallSnapshot
 * (the log below the snapshot compacted), resolving them from its own state.
 */
describe('ACL state survives a leader kill and reaches a new member by snapshot', () => {
  let c: TestCluster;
  const calls = new TokenCalls();
  let management = '';
  let appToken = '';
  let etcdToken = '';
  const Acl = (): grpc.ServiceClientConstructor => aclProto().roster.acl.v1.Acl as unknown as grpc.ServiceClientConstructor;
  const Auth = (): grpc.ServiceClientConstructor => etcdProto().etcdserverpb.Auth as unknown as grpc.ServiceClientConstructor;
  const put = (s: ServerProc, key: string, md: Record<string, string>): Promise<unknown> => c.call(s, 'KV', 'Put', { key: enc(key), value: enc('v') }, { metadata: md });
  const get = (s: ServerProc, key: string, md: Record<string, string>): Promise<{ count: string }> => c.call(s, 'KV', 'Range', { key: enc(key), serializable: true }, { metadata: md });
  const code = async (p: Promise<unknown>): Promise<grpc.status | 'ok'> =>
    p.then(
      () => 'ok' as const,
      (e: grpc.ServiceError) => e.code,
    );

  beforeAll(async () => {
    c = await TestCluster.start({ servers: 3, hostBase: 95, snapshotEvery: 20, snapshotKeepTail: 5, extraArgs: ['--acl-enabled', '--acl-default-policy', 'deny'] });
  }, 60_000);
  afterAll(async () => {
    calls.close();
    await c?.destroy();
  });

  it('a Consul token and an etcd user keep working on the survivors after kill -9 of the leader', async () => {
    const leader = await c.waitForLeader();
    management = (await calls.call<{ token: { secretId: string } }>(leader.clientAddr, Acl(), 'Bootstrap', {})).token.secretId;
    const policy = await calls.call<{ policy: { id: string } }>(leader.clientAddr, Acl(), 'PolicyCreate', { name: 'app', rules: 'key_prefix "app/" { policy = "write" }' }, management);
    appToken = (await calls.call<{ token: { secretId: string } }>(leader.clientAddr, Acl(), 'TokenCreate', { description: 'app', policies: [{ id: policy.policy.id }] }, management)).token.secretId;
    // The etcd user's role is the same policy: one mechanism.
    await calls.call(leader.clientAddr, Auth(), 'UserAdd', { name: 'svc', password: 'svc-pw' }, management);
    await calls.call(leader.clientAddr, Auth(), 'UserGrantRole', { user: 'svc', role: 'app' }, management);
    etcdToken = (await calls.call<{ token: string }>(leader.clientAddr, Auth(), 'Authenticate', { name: 'svc', password: 'svc-pw' })).token;

    c.kill9(leader);
    const survivors = c.servers.filter((s) => s !== leader);
    const next = await c.waitForLeader(20_000, survivors);
    for (const s of survivors) {
      expect(await code(put(s, `app/after-kill-${s.name}`, { 'x-roster-token': appToken }))).toBe('ok');
      expect(await code(put(s, `app/etcd-after-kill-${s.name}`, { token: etcdToken }))).toBe('ok');
      expect(await code(put(s, 'other/x', { 'x-roster-token': appToken }))).toBe(grpc.status.PERMISSION_DENIED);
    }
    expect(next).not.toBe(leader);
  });

  it('a learner added after the log was compacted installs a snapshot and resolves both tokens from it', async () => {
    const leader = await c.waitForLeader(20_000, c.running());
    for (let i = 0; i < 60; i++) await put(leader, `app/fill/${i}`, { 'x-roster-token': management });
    const fresh = await c.addServer();
    const added = spawnSync(process.execPath, [ROSTER, 'operator', 'raft', 'add-learner', fresh.name, fresh.peerAddr, '--endpoint', leader.clientAddr, '--token', management], { encoding: 'utf8', timeout: 60_000 });
    expect(added.status, added.stderr).toBe(0);
    await c.launch(fresh, 'existing');
    await eventually('the learner to install a snapshot', async () => fresh.log.find((l) => l.includes('installed snapshot')), 30_000);
    await eventually('the learner to catch up', async () => {
      const [l, f] = await Promise.all([c.status(leader), c.status(fresh)]);
      return f.applied >= l.applied ? true : undefined;
    }, 30_000);
    expect((await get(fresh, 'app/fill/59', { 'x-roster-token': appToken })).count).toBe('1');
    expect((await get(fresh, 'app/fill/59', { token: etcdToken })).count).toBe('1');
    expect(await code(get(fresh, 'other/x', { 'x-roster-token': appToken }))).toBe(grpc.status.PERMISSION_DENIED);
    expect(await code(get(fresh, 'app/fill/59', { 'x-roster-token': '11111111-2222-4333-8444-555555555555' }))).toBe(grpc.status.UNAUTHENTICATED);
    expect(await code(get(fresh, 'app/fill/59', {}))).toBe(grpc.status.PERMISSION_DENIED);
  });
});
