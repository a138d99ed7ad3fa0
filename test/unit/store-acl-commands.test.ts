import { describe, expect, it } from 'vitest';
import { permissionsOf, permissionTarget } from '../../src/api/etcd/auth-permissions.js';
import { listTokens, policyByName } from '../../src/store/acl/acl-reads.js';
import type { AclCommand, AclResponse } from '../../src/store/acl/commands.js';
import { decodeAclCommand, encodeAclCommand } from '../../src/store/acl/commands.js';
import { readEtcdAuth, readUser, USER_TOKENS_KEPT } from '../../src/store/acl/etcd-users.js';
import { parseRules } from '../../src/store/acl/parse-rules.js';
import { TokenResolver } from '../../src/store/acl/token-resolver.js';
import { MemoryOrderedKv } from '../../src/store/kv/memory-kv.js';
import { MvccStore } from '../../src/store/kv/mvcc-store.js';
import { StateExtension } from '../../src/store/state-extension.js';
import type { ExtensionCommand, ExtensionResponse } from '../../src/store/state-extension.js';
import { hashPassword, verifyPassword } from '../../src/api/etcd/password-hash.js';

const enc = new TextEncoder();
const uuid = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
// A well-formed hash (what the API proposes); its password does not matter to the store.
const HASH = 'scrypt$16384$8$1$c2FsdHNhbHRzYWx0c2FsdA==$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g=';
const HASH2 = 'scrypt$16384$8$1$c2FsdHNhbHRzYWx0c2FsdA==$b3RoZXJvdGhlcm90aGVyb3RoZXJvdGhlcm90aGVyb3Q=';

class Fixture {
  index = 0;
  store!: MvccStore<ExtensionCommand, ExtensionResponse>;
  resolver!: TokenResolver;
  static async create(defaultPolicy: 'allow' | 'deny' = 'deny'): Promise<Fixture> {
    const f = new Fixture();
    f.store = await MvccStore.open(new MemoryOrderedKv(), { extension: new StateExtension() });
    f.resolver = new TokenResolver(() => f.store, { defaultPolicy });
    return f;
  }
  async ok(cmd: AclCommand): Promise<AclResponse> {
    // Every command goes through its log encoding, as it would through Raft.
    const [r] = await this.store.apply([{ index: ++this.index, command: decodeAclCommand(encodeAclCommand(cmd)) }]);
    this.resolver.applied(cmd);
    if (!r!.ok) throw r!.error;
    return r!.response as AclResponse;
  }
  async fails(cmd: AclCommand): Promise<{ code: string; message: string }> {
    const rev = this.store.revision();
    const [r] = await this.store.apply([{ index: ++this.index, command: cmd }]);
    if (r!.ok) throw new Error(`expected ${cmd.type} to fail`);
    // A refused command changes nothing.
    expect(this.store.revision()).toBe(rev);
    return { code: r!.error.code, message: r!.error.message };
  }
  read<T>(fn: (kv: Parameters<Parameters<MvccStore<never, never>['read']>[0]>[0]['kv']) => Promise<T>): Promise<T> {
    return this.store.read((view) => fn(view.kv));
  }
  async issue(name: string, n: number, hash = HASH): Promise<string> {
    const res = await this.ok({ type: 'etcdTokenIssue', name, passwordHash: hash, accessorId: uuid(1000 + n), secretId: uuid(2000 + n), now: 1 });
    return res.token!.secretId;
  }
}

describe('Consul ACL commands', () => {
  it('bootstrap once; again only with the reset index it stored', async () => {
    const f = await Fixture.create();
    const first = await f.ok({ type: 'aclBootstrap', accessorId: uuid(1), secretId: uuid(2), now: 5 });
    expect(first.token!.policies).toEqual(['00000000-0000-0000-0000-000000000001']);
    const refused = await f.fails({ type: 'aclBootstrap', accessorId: uuid(3), secretId: uuid(4), now: 6 });
    expect(refused.code).toBe('ACL_BOOTSTRAP_DONE');
    expect(refused.message).toContain(`reset index: ${first.revision}`);
    const again = await f.ok({ type: 'aclBootstrap', accessorId: uuid(3), secretId: uuid(4), now: 6, resetIndex: first.revision });
    expect(again.token!.secretId).toBe(uuid(4));
    expect((await f.resolver.resolve(uuid(4), 7)).authorizer.operatorWrite().allowed).toBe(true);
  });

  it('a token links policies by name; deleting the policy takes what it granted at the next resolve; a deleted token stops resolving', async () => {
    const f = await Fixture.create();
    await f.ok({ type: 'aclPolicyUpsert', id: uuid(10), name: 'app', description: '', rules: 'key_prefix "app/" { policy = "write" }' });
    await f.ok({ type: 'aclTokenUpsert', accessorId: uuid(11), secretId: uuid(12), description: 't', policies: [{ name: 'app' }], local: false, now: 1 });
    expect((await f.resolver.resolve(uuid(12), 2)).authorizer.keyWrite('app/x').allowed).toBe(true);
    expect((await f.resolver.resolve(uuid(12), 2)).authorizer.keyRead('other').allowed).toBe(false);
    await f.ok({ type: 'aclPolicyDelete', id: uuid(10) });
    expect((await f.resolver.resolve(uuid(12), 2)).authorizer.keyWrite('app/x').allowed).toBe(false);
    await f.ok({ type: 'aclTokenDelete', accessorId: uuid(11) });
    await expect(f.resolver.resolve(uuid(12), 2)).rejects.toMatchObject({ code: 'ACL_NOT_FOUND' });
  });

  it('refuses what Consul keeps fixed or unique, changing nothing', async () => {
    const f = await Fixture.create();
    await f.ok({ type: 'aclPolicyUpsert', id: uuid(10), name: 'app', description: '', rules: '' });
    expect((await f.fails({ type: 'aclPolicyUpsert', id: uuid(11), name: 'app', description: '', rules: '' })).code).toBe('ACL_POLICY_NAME_EXISTS');
    expect((await f.fails({ type: 'aclPolicyUpsert', id: uuid(12), name: 'bad name', description: '', rules: '' })).code).toBe('ACL_INVALID');
    expect((await f.fails({ type: 'aclPolicyUpsert', id: uuid(12), name: 'p', description: '', rules: 'key_prefix "a" { policy = "own" }' })).code).toBe('ACL_RULES_INVALID');
    await f.ok({ type: 'aclTokenUpsert', accessorId: uuid(20), secretId: uuid(21), description: '', policies: [], local: false, now: 1, expirationTime: 100 });
    expect((await f.fails({ type: 'aclTokenUpsert', accessorId: uuid(20), secretId: uuid(22), description: '', policies: [], local: false, now: 1, expirationTime: 100 })).code).toBe('ACL_TOKEN_IMMUTABLE');
    expect((await f.fails({ type: 'aclTokenUpsert', accessorId: uuid(23), secretId: uuid(21), description: '', policies: [], local: false, now: 1 })).code).toBe('ACL_TOKEN_EXISTS');
    expect((await f.fails({ type: 'aclTokenUpsert', accessorId: uuid(24), secretId: uuid(25), description: '', policies: [{ name: 'missing' }], local: false, now: 1 })).code).toBe('ACL_POLICY_NOT_FOUND');
    // Expiry is checked against the caller's clock; the reaper deletes the token at the leader's.
    await expect(f.resolver.resolve(uuid(21), 100)).rejects.toMatchObject({ code: 'ACL_NOT_FOUND' });
    expect((await f.ok({ type: 'aclTokenReap', now: 100 })).reaped).toBe(1);
  });
});

describe('etcd Auth commands over the ACL tables', () => {
  it('auth enable needs the root user with the root role; then root, its role and the root role cannot be removed', async () => {
    const f = await Fixture.create();
    expect(await f.fails({ type: 'etcdAuthEnable' })).toEqual({ code: 'ETCD_ROOT_USER_MISSING', message: 'etcdserver: root user does not exist' });
    await f.ok({ type: 'etcdUserAdd', name: 'root', passwordHash: HASH });
    expect((await f.fails({ type: 'etcdAuthEnable' })).message).toBe('etcdserver: root user does not have root role');
    await f.ok({ type: 'etcdRoleAdd', name: 'root', id: uuid(1) });
    await f.ok({ type: 'etcdUserGrantRole', name: 'root', role: 'root' });
    await f.ok({ type: 'etcdAuthEnable' });
    expect((await f.read((kv) => readEtcdAuth(kv))).enabled).toBe(true);
    for (const cmd of [{ type: 'etcdUserDelete', name: 'root' }, { type: 'etcdUserRevokeRole', name: 'root', role: 'root' }, { type: 'etcdRoleDelete', name: 'root' }] as AclCommand[]) {
      expect((await f.fails(cmd)).message).toBe('etcdserver: invalid auth management');
    }
    await f.ok({ type: 'etcdAuthDisable' });
    await f.ok({ type: 'etcdUserRevokeRole', name: 'root', role: 'root' });
  });

  it('a role is the policy of its name: grants and revokes edit its key rules, and a user token grants what the roles grant at each resolve', async () => {
    const f = await Fixture.create();
    await f.ok({ type: 'etcdRoleAdd', name: 'app', id: uuid(1) });
    expect((await f.fails({ type: 'etcdRoleAdd', name: 'app', id: uuid(2) })).message).toBe('etcdserver: role name already exists');
    await f.ok({ type: 'etcdRoleGrant', name: 'app', segment: 'app/', prefix: true, level: 'write' });
    await f.ok({ type: 'etcdRoleGrant', name: 'app', segment: 'cfg "quoted"\n', prefix: false, level: 'read' });
    const policy = (await f.read((kv) => policyByName(kv, 'app')))!;
    expect(policy.id).toBe(uuid(1));
    expect(parseRules(policy.rules).segments.key).toEqual([
      { segment: 'app/', prefix: true, level: 'write' },
      { segment: 'cfg "quoted"\n', prefix: false, level: 'read' },
    ]);
    await f.ok({ type: 'etcdUserAdd', name: 'alice', passwordHash: HASH });
    expect((await f.fails({ type: 'etcdUserGrantRole', name: 'alice', role: 'nope' })).message).toBe('etcdserver: role name not found');
    expect((await f.fails({ type: 'etcdUserGrantRole', name: 'bob', role: 'app' })).message).toBe('etcdserver: user name not found');
    await f.ok({ type: 'etcdUserGrantRole', name: 'alice', role: 'app' });
    const secret = await f.issue('alice', 1);
    const authz = async () => (await f.resolver.resolve(secret, 2)).authorizer;
    expect((await authz()).keyWrite('app/x').allowed).toBe(true);
    expect((await authz()).keyWrite('cfg "quoted"\n').allowed).toBe(false);
    expect((await authz()).keyRead('cfg "quoted"\n').allowed).toBe(true);
    expect((await authz()).keyRead('other').allowed).toBe(false);
    expect((await f.fails({ type: 'etcdRoleRevoke', name: 'app', segment: 'app/', prefix: false })).message).toBe('etcdserver: permission is not granted to the role');
    await f.ok({ type: 'etcdRoleRevoke', name: 'app', segment: 'app/', prefix: true });
    expect((await authz()).keyWrite('app/x').allowed).toBe(false);
    // Deleting the role revokes it from its users.
    await f.ok({ type: 'etcdRoleDelete', name: 'app' });
    expect((await f.read((kv) => readUser(kv, 'alice')))!.roles).toEqual([]);
    expect((await f.fails({ type: 'etcdUserRevokeRole', name: 'alice', role: 'app' })).message).toBe('etcdserver: role is not granted to the user');
  });

  it('Authenticate tokens: refused for a changed hash, dropped by a new password or the user\'s deletion, at most USER_TOKENS_KEPT per user', async () => {
    const f = await Fixture.create();
    await f.ok({ type: 'etcdUserAdd', name: 'root', passwordHash: HASH });
    await f.ok({ type: 'etcdUserGrantRole', name: 'root', role: 'root' });
    expect((await f.fails({ type: 'etcdTokenIssue', name: 'root', passwordHash: HASH2, accessorId: uuid(1), secretId: uuid(2), now: 1 })).message).toBe('etcdserver: authentication failed, invalid user ID or password');
    const first = await f.issue('root', 0);
    expect((await f.resolver.resolve(first, 2)).authorizer.aclWrite().allowed).toBe(true);
    for (let n = 1; n <= USER_TOKENS_KEPT; n++) await f.issue('root', n);
    // The oldest went when the 65th was issued.
    await expect(f.resolver.resolve(first, 2)).rejects.toMatchObject({ code: 'ACL_NOT_FOUND' });
    expect((await f.read((kv) => listTokens(kv))).filter((t) => t.user === 'root')).toHaveLength(USER_TOKENS_KEPT);
    const last = uuid(2000 + USER_TOKENS_KEPT);
    expect((await f.resolver.resolve(last, 2)).token.user).toBe('root');
    await f.ok({ type: 'etcdUserPassword', name: 'root', passwordHash: HASH2 });
    await expect(f.resolver.resolve(last, 2)).rejects.toMatchObject({ code: 'ACL_NOT_FOUND' });
    expect(await f.read((kv) => listTokens(kv))).toEqual([]);
    const fresh = await f.issue('root', 100, HASH2);
    await f.ok({ type: 'etcdUserDelete', name: 'root' });
    await expect(f.resolver.resolve(fresh, 2)).rejects.toMatchObject({ code: 'ACL_NOT_FOUND' });
  });

  it('bounds every field: empty names in etcd\'s words, the rest ACL_INVALID', async () => {
    const f = await Fixture.create();
    expect((await f.fails({ type: 'etcdUserAdd', name: '' })).message).toBe('etcdserver: user name is empty');
    expect((await f.fails({ type: 'etcdRoleAdd', name: '', id: uuid(1) })).message).toBe('etcdserver: role name is empty');
    expect((await f.fails({ type: 'etcdUserAdd', name: 'x'.repeat(129) })).code).toBe('ACL_INVALID');
    expect((await f.fails({ type: 'etcdUserAdd', name: 'x', passwordHash: 'plain-text' })).code).toBe('ACL_INVALID');
    expect((await f.fails({ type: 'etcdRoleGrant', name: 'r', segment: 'k'.repeat(1025), prefix: false, level: 'read' })).code).toBe('ACL_INVALID');
    expect((await f.fails({ type: 'etcdRoleGrant', name: 'r', segment: 'k', prefix: false, level: 'own' as 'read' })).code).toBe('ACL_INVALID');
    await f.ok({ type: 'etcdUserAdd', name: 'x', passwordHash: HASH });
    expect((await f.fails({ type: 'etcdUserAdd', name: 'x' })).message).toBe('etcdserver: user name already exists');
  });
});

describe('etcd permissions as key rules, and passwords', () => {
  const b = (s: string): Uint8Array => enc.encode(s);
  it('one key, a prefix and every key map to rules; any other range is refused', () => {
    expect(permissionTarget(b('a'), new Uint8Array(0))).toEqual({ segment: 'a', prefix: false });
    expect(permissionTarget(b('app/'), b('app0'))).toEqual({ segment: 'app/', prefix: true });
    expect(permissionTarget(new Uint8Array([0]), new Uint8Array([0]))).toEqual({ segment: '', prefix: true });
    expect(() => permissionTarget(b('a'), b('c'))).toThrow(/one key or a prefix/);
    expect(() => permissionTarget(b('a'), new Uint8Array([0]))).toThrow(/one key or a prefix/);
    expect(() => permissionTarget(new Uint8Array([0xff]), new Uint8Array(0))).toThrow(/UTF-8/);
  });

  it('rules back to permissions, sorted: read is READ, write READWRITE, deny left out', () => {
    const perms = permissionsOf(parseRules('key_prefix "b/" { policy = "write" }\nkey "a" { policy = "read" }\nkey "c" { policy = "deny" }\nkey_prefix "" { policy = "list" }'));
    expect(perms.map((p) => [p.permType, Buffer.from(p.key as Uint8Array).toString('latin1'), Buffer.from(p.rangeEnd as Uint8Array).toString('latin1')])).toEqual([
      ['READ', '\0', '\0'],
      ['READ', 'a', ''],
      ['READWRITE', 'b/', 'b0'],
    ]);
  });

  it('scrypt hashes verify the right password only, and nothing not hashed that way', async () => {
    const h = await hashPassword('s3cret');
    expect(h).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(await verifyPassword('s3cret', h)).toBe(true);
    expect(await verifyPassword('s3cret!', h)).toBe(false);
    expect(await verifyPassword('s3cret', h.replace('scrypt$16384', 'scrypt$999999999'))).toBe(false);
    expect(await verifyPassword('s3cret', 'bcrypt$whatever')).toBe(false);
    expect(await hashPassword('s3cret')).not.toBe(h);
  });
});
