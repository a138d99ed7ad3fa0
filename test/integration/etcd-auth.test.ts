import { spawnSync } from 'node:child_process';
import { Etcd3, Range, EtcdAuthenticationFailedError, EtcdPermissionDeniedError, EtcdRoleNotGrantedError, EtcdUserExistsError } from 'etcd3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, TestCluster } from './cluster-harness.js';

/**
 * etcd's Auth API on Roster's ACL store, driven by the real clients: Debian's etcdctl (the
 * walkthrough etcd's docs give) and the etcd3 npm package. Three servers, so a token issued by
 * one must work on the others.
 */
describe('etcd auth: etcdctl and the etcd3 client', () => {
  let c: TestCluster;
  const clients: Etcd3[] = [];
  beforeAll(async () => {
    c = await TestCluster.start({ servers: 3, hostBase: 65 });
  });
  afterAll(async () => {
    for (const cl of clients) cl.close();
    await c?.destroy();
  });

  /** etcdctl against one server (or all): its exit code, and what it printed. */
  function etcdctl(args: string[], server?: number): { code: number; out: string; err: string } {
    const endpoints = server === undefined ? c.servers.map((s) => s.clientAddr).join(',') : c.servers[server]!.clientAddr;
    const r = spawnSync('etcdctl', [`--endpoints=${endpoints}`, '--command-timeout=10s', ...args], { encoding: 'utf8', env: { ...process.env, ETCDCTL_API: '3' } });
    if (r.error !== undefined) throw new Error(`etcdctl could not run (is etcd-client installed?): ${r.error.message}`);
    return { code: r.status ?? -1, out: r.stdout.trim(), err: r.stderr };
  }
  const ok = (args: string[], server?: number): string => {
    const r = etcdctl(args, server);
    if (r.code !== 0) throw new Error(`etcdctl ${args.join(' ')} failed (${r.code}): ${r.err}`);
    return r.out;
  };
  const client = (auth?: { username: string; password: string }): Etcd3 => {
    const cl = new Etcd3({ hosts: c.servers.map((s) => `http://${s.clientAddr}`), ...(auth !== undefined ? { auth } : {}) });
    clients.push(cl);
    return cl;
  };

  it('etcdctl walkthrough: root user, a role on a prefix, auth enable; the user is refused outside its prefix, everywhere, also after a restart', async () => {
    ok(['put', 'other/config', 'before-auth']);
    expect(ok(['user', 'add', 'root:root-pw'])).toBe('User root created');
    expect(ok(['role', 'add', 'app-rw'])).toBe('Role app-rw created');
    expect(ok(['role', 'grant-permission', 'app-rw', 'readwrite', '--prefix', 'app/'])).toBe('Role app-rw updated');
    expect(ok(['user', 'add', 'alice:alice-pw'])).toBe('User alice created');
    expect(ok(['user', 'grant-role', 'alice', 'app-rw'])).toBe('Role app-rw is granted to user alice');
    expect(ok(['role', 'get', 'app-rw'])).toBe('Role app-rw\nKV Read:\n\t[app/, app0) (prefix app/)\nKV Write:\n\t[app/, app0) (prefix app/)');
    // etcdctl adds the root role and grants it to root when the server says root lacks it.
    expect(ok(['auth', 'enable'])).toBe('Authentication Enabled');
    expect(ok(['--user', 'root:root-pw', 'user', 'get', 'root'])).toBe('User: root\nRoles: root');

    for (const server of [0, 1, 2]) {
      expect(ok(['--user', 'alice:alice-pw', 'put', `app/from-${server}`, 'v'], server)).toBe('OK');
      expect(ok(['--user', 'alice:alice-pw', 'get', `app/from-${server}`, '--print-value-only'], server)).toBe('v');
      const outside = etcdctl(['--user', 'alice:alice-pw', 'put', 'other/config', 'overwritten'], server);
      expect(outside.code).not.toBe(0);
      expect(outside.err).toMatch(/permission denied/);
      const read = etcdctl(['--user', 'alice:alice-pw', 'get', 'other/config'], server);
      expect(read.err).toMatch(/permission denied/);
    }
    const anonymous = etcdctl(['get', 'app/from-0']);
    expect(anonymous.code).not.toBe(0);
    expect(anonymous.err).toMatch(/permission denied/);
    const wrong = etcdctl(['--user', 'alice:not-her-password', 'get', 'app/from-0']);
    expect(wrong.err).toContain('etcdserver: authentication failed, invalid user ID or password');
    expect(ok(['--user', 'root:root-pw', 'get', 'other/config', '--print-value-only'])).toBe('before-auth');
    expect(ok(['--user', 'root:root-pw', 'user', 'list']).split('\n')).toEqual(['alice', 'root']);
    expect(ok(['--user', 'root:root-pw', 'role', 'list']).split('\n')).toEqual(['app-rw', 'root']);
    // A user may not manage users; root may not be removed while auth is on.
    expect(etcdctl(['--user', 'alice:alice-pw', 'user', 'add', 'mallory:x']).err).toMatch(/permission denied/);
    expect(etcdctl(['--user', 'root:root-pw', 'user', 'delete', 'root']).err).toContain('etcdserver: invalid auth management');
    expect(etcdctl(['--user', 'root:root-pw', 'user', 'revoke-role', 'root', 'root']).err).toContain('etcdserver: invalid auth management');
    // The switch is replicated state: a restarted server still enforces it and knows alice.
    const restarted = c.servers[0]!;
    await c.stop(restarted);
    await c.launch(restarted, 'existing');
    await c.waitForLeader(15_000);
    expect(etcdctl(['get', 'app/from-0'], 0).err).toMatch(/permission denied/);
    expect(ok(['--user', 'alice:alice-pw', 'get', 'app/from-0', '--print-value-only'], 0)).toBe('v');
    // Revoking the permission takes effect on the next call.
    expect(ok(['--user', 'root:root-pw', 'role', 'revoke-permission', 'app-rw', '--prefix', 'app/'])).toBe('Permission of range [app/, app0) is revoked from role app-rw');
    expect(etcdctl(['--user', 'alice:alice-pw', 'get', 'app/from-0']).err).toMatch(/permission denied/);
    expect(ok(['--user', 'root:root-pw', 'role', 'grant-permission', 'app-rw', 'readwrite', '--prefix', 'app/'])).toBe('Role app-rw updated');
  });

  it('the etcd3 client: users, roles, grants and auth() with a password; a changed password and a deleted user stop working', async () => {
    const root = client({ username: 'root', password: 'root-pw' });
    const role = await root.role('reader').create();
    await role.grant({ permission: 'Read', range: Range.prefix('cfg/') });
    await role.grant({ permission: 'Readwrite', key: 'cfg/owned' });
    expect((await role.permissions()).map((p) => [p.permission, p.range.start.toString(), p.range.end.toString()])).toEqual([
      ['Read', 'cfg/', 'cfg0'],
      ['Readwrite', 'cfg/owned', ''],
    ]);
    const bob = await root.user('bob').create('bob-pw');
    await bob.addRole('reader');
    expect((await bob.roles()).map((r) => r.name)).toEqual(['reader']);
    await expect(root.user('bob').create('again')).rejects.toBeInstanceOf(EtcdUserExistsError);
    await expect(bob.removeRole('app-rw')).rejects.toBeInstanceOf(EtcdRoleNotGrantedError);
    expect((await root.getUsers()).map((u) => u.name).sort()).toEqual(['alice', 'bob', 'root']);
    await root.put('cfg/shared').value('from-root');

    const asBob = client({ username: 'bob', password: 'bob-pw' });
    expect(await asBob.get('cfg/shared').string()).toBe('from-root');
    await asBob.put('cfg/owned').value('bob');
    expect(await root.get('cfg/owned').string()).toBe('bob');
    await expect(asBob.put('cfg/shared').value('bob')).rejects.toBeInstanceOf(EtcdPermissionDeniedError);
    await expect(asBob.get('app/from-0').string()).rejects.toBeInstanceOf(EtcdPermissionDeniedError);
    await expect(client({ username: 'bob', password: 'wrong' }).get('cfg/shared').string()).rejects.toBeInstanceOf(EtcdAuthenticationFailedError);

    // A new password ends the old sessions: the client authenticates again, with the old one, and fails.
    await bob.setPassword('bob-pw-2');
    // Every server drops the old tokens as it applies the change (the client may ask one that
    // has not applied it yet, a replication delay away).
    await eventually('the old password refused everywhere', async () => ((await asBob.get('cfg/shared').string().then(() => false, (err: unknown) => err instanceof EtcdAuthenticationFailedError)) ? true : undefined), 5000);
    const asBob2 = client({ username: 'bob', password: 'bob-pw-2' });
    expect(await asBob2.get('cfg/shared').string()).toBe('from-root');
    await bob.delete();
    await eventually('the deleted user refused everywhere', async () => ((await asBob2.get('cfg/shared').string().then(() => false, (err: unknown) => err instanceof EtcdAuthenticationFailedError)) ? true : undefined), 5000);
  });

  it('auth status and disable: with auth off, calls without a user work again', async () => {
    const root = client({ username: 'root', password: 'root-pw' });
    expect((await root.auth.authStatus()).enabled).toBe(true);
    expect(ok(['--user', 'root:root-pw', 'auth', 'disable'])).toBe('Authentication Disabled');
    expect(ok(['get', 'other/config', '--print-value-only'])).toBe('before-auth');
    expect((await client().auth.authStatus()).enabled).toBe(false);
  });
});
