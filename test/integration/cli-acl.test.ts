import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RosterClient } from '../../src/client/index.js';
import { eventually, TestCluster } from './cluster-harness.js';

const ROSTER = resolve(import.meta.dirname, '../../bin/roster.mjs');

interface TokenJson {
  AccessorID: string;
  SecretID?: string;
  Description: string;
  Policies: { ID: string; Name: string }[];
}

/**
 * `roster acl ...`, --token / --token-file / $ROSTER_TOKEN on other commands, and the SDK's
 * token option, against 3 servers with ACLs in deny mode.
 */
describe('roster acl and --token, and the SDK token option (ACLs in deny mode, 3 servers)', () => {
  let c: TestCluster;
  let endpoint: string;
  let mgmt: string;
  const dir = mkdtempSync(join(tmpdir(), 'roster-cli-acl-'));
  beforeAll(async () => {
    c = await TestCluster.start({ servers: 3, hostBase: 75, extraArgs: ['--acl-enabled', '--acl-default-policy', 'deny'] });
    endpoint = c.servers[1]!.clientAddr;
  }, 60_000);
  afterAll(async () => {
    await c?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  const roster = (args: readonly string[], env: Record<string, string> = {}): { code: number; out: string; err: string } => {
    const clean = { ...process.env };
    delete clean.ROSTER_TOKEN;
    delete clean.ROSTER_TOKEN_FILE;
    const r = spawnSync(process.execPath, [ROSTER, ...args, '--endpoint', endpoint], { encoding: 'utf8', timeout: 60_000, env: { ...clean, ...env } });
    return { code: r.status ?? -1, out: r.stdout.trim(), err: r.stderr.trim() };
  };
  const ok = (args: readonly string[], env: Record<string, string> = {}): string => {
    const r = roster(args, env);
    expect(r.code, `roster ${args.join(' ')}: ${r.err}`).toBe(0);
    return r.out;
  };
  const asMgmt = (...args: string[]): string => ok(args, { ROSTER_TOKEN: mgmt });

  it('bootstraps once, then manages policies and tokens with the management token from $ROSTER_TOKEN', () => {
    const first = JSON.parse(ok(['acl', 'bootstrap', '--format', 'json'])) as TokenJson;
    expect(first.SecretID).toMatch(/^[0-9a-f-]{36}$/);
    expect(first.Policies.map((p) => p.Name)).toEqual(['global-management']);
    mgmt = first.SecretID!;
    const again = roster(['acl', 'bootstrap']);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/^roster: .*reset index: \d+/);
    expect(again.err.split('\n')).toHaveLength(1);

    const rulesFile = join(dir, 'app.hcl');
    writeFileSync(rulesFile, 'key_prefix "app/" {\n  policy = "write"\n}\n');
    const created = asMgmt('acl', 'policy', 'create', '--name', 'app', '--description', 'the app', '--rules', `@${rulesFile}`);
    expect(created).toMatch(/^ID: +[0-9a-f-]{36}\nName: +app\nDescription: +the app\nRules:\nkey_prefix "app\/"/);
    expect(asMgmt('acl', 'policy', 'list')).toMatch(/\bapp\b.*the app/);
    expect(asMgmt('acl', 'policy', 'read', '--name', 'app')).toContain('key_prefix "app/"');
    // Reading policies needs acl:read: without a token it is refused, saying what to do.
    const anonymous = roster(['acl', 'policy', 'list']);
    expect(anonymous.code).toBe(1);
    expect(anonymous.err).toContain('acl:read');
    expect(anonymous.err).toContain('--token');
  });

  it('a token limited to app/ writes there through --token, --token-file or $ROSTER_TOKEN_FILE and nowhere else; a deleted token is refused as unknown', async () => {
    const token = JSON.parse(asMgmt('acl', 'token', 'create', '--description', 'app writer', '--policy-name', 'app', '--format', 'json')) as TokenJson;
    const secret = token.SecretID!;
    const list = asMgmt('acl', 'token', 'list');
    expect(list).toContain(token.AccessorID);
    expect(list).not.toContain(secret);
    expect(ok(['acl', 'token', 'read', '--self', '--token', secret])).toMatch(new RegExp(`AccessorID: +${token.AccessorID}[\\s\\S]*Policies:\\n +[0-9a-f-]{36} - app`));

    ok(['kv', 'put', 'app/x', '1', '--token', secret]);
    const file = join(dir, 'app.token');
    writeFileSync(file, `${secret}\n`);
    ok(['kv', 'put', 'app/y', '2', '--token-file', file]);
    ok(['kv', 'put', 'app/z', '3'], { ROSTER_TOKEN_FILE: file });
    expect(ok(['kv', 'get', 'app/', '--prefix', '--format', 'json'], { ROSTER_TOKEN: secret })).toContain('"app/z"');
    const outside = roster(['kv', 'put', 'other/x', '1', '--token', secret]);
    expect(outside.code).toBe(1);
    expect(outside.err).toContain('key:write on other/x');
    expect(outside.err).toContain('use a token whose policies allow it');
    const none = roster(['kv', 'put', 'app/x', '1']);
    expect(none.code).toBe(1);
    expect(none.err).toContain('key:write on app/x');
    const both = roster(['kv', 'put', 'app/x', '1', '--token', secret, '--token-file', file]);
    expect(both.code).toBe(2);
    expect(both.err).toContain('--token or --token-file, not both');

    // Updating the token's policies and the policy's rules takes effect at once.
    asMgmt('acl', 'policy', 'create', '--name', 'cfg', '--rules', 'key_prefix "cfg/" { policy = "write" }');
    const merged = JSON.parse(asMgmt('acl', 'token', 'update', '--id', token.AccessorID, '--policy-name', 'cfg', '--merge-policies', '--format', 'json')) as TokenJson;
    expect(merged.Policies.map((p) => p.Name).sort()).toEqual(['app', 'cfg']);
    expect(merged.Description).toBe('app writer');
    await eventually('the merged policy allows cfg/', () => Promise.resolve(roster(['kv', 'put', 'cfg/a', '1', '--token', secret]).code === 0 ? true : undefined), 10_000);
    asMgmt('acl', 'policy', 'update', '--name', 'app', '--rules', 'key_prefix "app2/" { policy = "write" }');
    await eventually('app/ is no longer writable', () => Promise.resolve(roster(['kv', 'put', 'app/x', '1', '--token', secret]).code === 1 ? true : undefined), 10_000);

    expect(asMgmt('acl', 'token', 'delete', '--id', token.AccessorID)).toBe(`token ${token.AccessorID} deleted`);
    await eventually('the deleted token is unknown', async () => {
      const gone = roster(['kv', 'put', 'cfg/a', '1', '--token', secret]);
      return gone.code === 1 && gone.err.includes('ACL not found') ? gone.err : undefined;
    }, 10_000).then((err) => expect(err).toContain('the token is unknown, deleted or expired'));
    expect(asMgmt('acl', 'policy', 'delete', '--name', 'cfg')).toBe('policy cfg deleted');
    expect(roster(['acl', 'policy', 'read', '--name', 'cfg'], { ROSTER_TOKEN: mgmt }).code).toBe(1);
  });

  it('refuses bad token and acl arguments in one line, before dialing', () => {
    const ttl = roster(['acl', 'token', 'create', '--expires-ttl', '10'], { ROSTER_TOKEN: mgmt });
    expect(ttl.code).toBe(2);
    expect(ttl.err).toContain('--expires-ttl must be a Go duration');
    const spaced = roster(['kv', 'get', 'x', '--token', 'two words']);
    expect(spaced.code).toBe(2);
    expect(spaced.err).toContain('not printable ASCII');
    const neither = roster(['acl', 'policy', 'read'], { ROSTER_TOKEN: mgmt });
    expect(neither.code).toBe(2);
    expect(neither.err).toContain('--id or --name');
    const missing = roster(['kv', 'get', 'x', '--token-file', join(dir, 'nope')]);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('ENOENT');
    expect(ok(['acl', '--help'])).toContain('acl token create');
  });

  it("the SDK's token option: a registration with a token that may write it, seen only by readers of the service", async () => {
    const out = JSON.parse(asMgmt('acl', 'policy', 'create', '--name', 'web', '--rules', 'service "web" { policy = "write" }\nnode "sdk-node" { policy = "write" }', '--format', 'json')) as { ID: string };
    expect(out.ID).toMatch(/^[0-9a-f-]{36}$/);
    const token = (JSON.parse(asMgmt('acl', 'token', 'create', '--policy-name', 'web', '--format', 'json')) as TokenJson).SecretID!;
    const endpoints = c.servers.map((s) => s.clientAddr);
    const node = { name: 'sdk-node', address: '127.0.0.1' };
    const withToken = new RosterClient({ endpoints, node, token });
    const anonymous = new RosterClient({ endpoints, node });
    try {
      await expect(anonymous.register({ name: 'web', port: 8080 })).rejects.toMatchObject({ details: expect.stringMatching(/token lacks (node:write on sdk-node|service:write on web)/) });
      const reg = await withToken.register({ name: 'web', port: 8080 });
      // An etcd lease as its lifetime: granted, kept alive and revoked under the same token.
      const leased = await withToken.register({ name: 'web', id: 'web-leased', port: 8081 }, { leaseTtlSeconds: 10 });
      expect((await withToken.instances('web')).map((i) => i.port).sort()).toEqual([8080, 8081]);
      await leased.stop();
      await eventually('the revoked lease took its instance', async () => ((await withToken.instances('web')).length === 1 ? true : undefined), 10_000);
      expect((await withToken.instances('web')).map((i) => i.port)).toEqual([8080]);
      // Lists are filtered, not refused: a caller without service:read on web sees none.
      expect(await anonymous.instances('web')).toEqual([]);
      await reg.stop();
      expect(() => new RosterClient({ endpoints, token: 'x'.repeat(300) })).toThrow(/at most 256/);
    } finally {
      withToken.close();
      anonymous.close();
    }
  });
});
