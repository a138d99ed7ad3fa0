import * as grpc from '@grpc/grpc-js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aclProto } from '../../src/proto/acl-proto.js';
import { etcdProto } from '../../src/proto/etcd-proto.js';
import { operatorProto } from '../../src/proto/operator-proto.js';
import { registryProto } from '../../src/proto/registry-proto.js';
import { BOOTSTRAP_RESET_FILE } from '../../src/api/roster/acl-service.js';
import { enc, eventually, TestCluster, type ServerProc } from './cluster-harness.js';
import { TokenCalls } from './token-calls.js';

interface TokenOut {
  accessorId: string;
  secretId: string;
  policies: { id: string; name: string }[];
}

/**
 * ACLs in deny mode on a 3-server cluster: nothing without a token, a bootstrap that happens
 * once (and again only by Consul's reset procedure), a policy's key rule allowing exactly its
 * prefix on every server, a bad token refused as unauthenticated, and a deleted token refused
 * everywhere once its deletion applies.
 */
describe('ACLs (default deny) on a 3-server cluster', () => {
  let c: TestCluster;
  const calls = new TokenCalls();
  const rpc = <T>(s: ServerProc, Ctor: grpc.ServiceClientConstructor, method: string, req: unknown, token?: string): Promise<T> => calls.call<T>(s.clientAddr, Ctor, method, req, token);
  const Acl = (): grpc.ServiceClientConstructor => aclProto().roster.acl.v1.Acl as unknown as grpc.ServiceClientConstructor;
  const acl = <T>(s: ServerProc, method: string, req: unknown, token?: string): Promise<T> => rpc<T>(s, Acl(), method, req, token);
  const put = (s: ServerProc, key: string, token?: string): Promise<unknown> => c.call(s, 'KV', 'Put', { key: enc(key), value: enc('v') }, { metadata: token === undefined ? {} : { 'x-roster-token': token } });
  const range = (s: ServerProc, key: string, rangeEnd: string, token?: string): Promise<{ count: string }> =>
    c.call(s, 'KV', 'Range', { key: enc(key), rangeEnd: enc(rangeEnd) }, { metadata: token === undefined ? {} : { 'x-roster-token': token } });
  const refusal = async (p: Promise<unknown>): Promise<{ code: grpc.status; details: string }> => {
    const err = (await p.then(
      () => undefined,
      (e: unknown) => e,
    )) as grpc.ServiceError | undefined;
    expect(err, 'the call should have been refused').toBeDefined();
    return { code: err!.code, details: err!.details };
  };

  beforeAll(async () => {
    c = await TestCluster.start({ servers: 3, hostBase: 25, extraArgs: ['--acl-enabled', '--acl-default-policy', 'deny'] });
  }, 60_000);
  afterAll(async () => {
    calls.close();
    await c?.destroy();
  });

  it('refuses a caller without a token, naming the missing rule, and bootstraps exactly once', async () => {
    const [s1, s2] = c.servers as [ServerProc, ServerProc];
    const denied = await refusal(put(s1, 'app/x'));
    expect(denied.code).toBe(grpc.status.PERMISSION_DENIED);
    expect(denied.details).toContain('key:write on app/x');

    const first = await acl<{ token: TokenOut }>(s2, 'Bootstrap', {});
    expect(first.token.secretId).toMatch(/^[0-9a-f-]{36}$/);
    expect(first.token.policies.map((p) => p.name)).toEqual(['global-management']);
    const again = await refusal(acl(s1, 'Bootstrap', {}));
    expect(again.code).toBe(grpc.status.FAILED_PRECONDITION);
    expect(again.details).toMatch(/reset index: \d+/);

    // The management token may do anything, on any server.
    await put(s1, 'other/x', first.token.secretId);
    expect(Number((await range(c.servers[2]!, 'other/', 'other0', first.token.secretId)).count)).toBe(1);
  });

  it('lets a key_prefix rule write exactly its prefix, on every server, and refuses a bad token as unauthenticated', async () => {
    const [s1, s2, s3] = c.servers as [ServerProc, ServerProc, ServerProc];
    const mgmt = await resetAndBootstrap(s3);
    await acl(s1, 'PolicyCreate', { name: 'app-writer', rules: 'key_prefix "app/" {\n  policy = "write"\n}\n' }, mgmt);
    const created = await acl<{ token: TokenOut }>(s1, 'TokenCreate', { description: 'app', policies: [{ name: 'app-writer' }] }, mgmt);
    const app = created.token.secretId;

    for (const s of [s1, s2, s3]) await put(s, `app/${s.name}`, app);
    expect(Number((await range(s2, 'app/', 'app0', app)).count)).toBe(3);
    const outside = await refusal(put(s2, 'other/y', app));
    expect(outside.code).toBe(grpc.status.PERMISSION_DENIED);
    expect(outside.details).toContain('key:write on other/y');
    // A range reaching past the prefix needs read on all of it.
    const wide = await refusal(range(s3, 'a', 'b', app));
    expect(wide.code).toBe(grpc.status.PERMISSION_DENIED);
    // A txn that would write outside is refused whole, whichever branch would run.
    const txn = await refusal(c.call(s1, 'KV', 'Txn', { compare: [], success: [{ requestPut: { key: enc('app/t'), value: enc('1') } }], failure: [{ requestPut: { key: enc('x'), value: enc('1') } }] }, { metadata: { 'x-roster-token': app } }));
    expect(txn.code).toBe(grpc.status.PERMISSION_DENIED);
    // Operator actions need operator rights.
    const Op = operatorProto().roster.operator.v1.Operator as unknown as grpc.ServiceClientConstructor;
    expect((await refusal(rpc(s1, Op, 'RaftPeers', {}, app))).code).toBe(grpc.status.PERMISSION_DENIED);
    await rpc(s1, Op, 'RaftPeers', {}, mgmt);
    // ACL management needs acl rights.
    expect((await refusal(acl(s2, 'TokenList', {}, app))).code).toBe(grpc.status.PERMISSION_DENIED);

    const bad = await refusal(put(s1, 'app/z', 'no-such-token'));
    expect(bad.code).toBe(grpc.status.UNAUTHENTICATED);
  });

  it('stops a deleted token on every server once its deletion applies', async () => {
    const [s1, s2, s3] = c.servers as [ServerProc, ServerProc, ServerProc];
    const mgmt = await resetAndBootstrap(s1);
    await acl(s1, 'PolicyCreate', { name: 'short-lived', rules: 'key_prefix "tmp/" { policy = "write" }' }, mgmt);
    const t = (await acl<{ token: TokenOut }>(s1, 'TokenCreate', { policies: [{ name: 'short-lived' }] }, mgmt)).token;
    for (const s of [s1, s2, s3]) await put(s, 'tmp/a', t.secretId); // cached as valid on every server
    await acl(s2, 'TokenDelete', { accessorId: t.accessorId }, mgmt);
    for (const s of [s1, s2, s3]) {
      await eventually(`${s.name} refuses the deleted token`, async () => ((await refusal(put(s, 'tmp/a', t.secretId))).code === grpc.status.UNAUTHENTICATED ? true : undefined), 5000);
    }
    const listed = await acl<{ tokens: TokenOut[] }>(s3, 'TokenList', {}, mgmt);
    expect(listed.tokens.map((x) => x.accessorId)).not.toContain(t.accessorId);
    expect(listed.tokens.every((x) => x.secretId === '')).toBe(true);
  });

  it('lets service, node and session rules decide registrations, and filters lists to what the token may read', async () => {
    const [s1, s2, s3] = c.servers as [ServerProc, ServerProc, ServerProc];
    const mgmt = await resetAndBootstrap(s2);
    const R = registryProto().roster.registry.v1;
    const Catalog = R.Catalog as unknown as grpc.ServiceClientConstructor;
    const Sessions = R.Sessions as unknown as grpc.ServiceClientConstructor;
    const register = (s: ServerProc, node: string, service: string, token: string): Promise<unknown> =>
      rpc(s, Catalog, 'Register', { node: { name: node, address: '10.0.0.1' }, service: { name: service, port: 80 } }, token);
    await register(s1, 'host-a', 'web', mgmt);
    await register(s1, 'host-b', 'db', mgmt);
    await acl(s1, 'PolicyCreate', { name: 'web-team', rules: 'service_prefix "web" { policy = "write" }\nnode "host-a" { policy = "write" }\nnode_prefix "" { policy = "read" }\nsession "host-a" { policy = "write" }' }, mgmt);
    const web = (await acl<{ token: TokenOut }>(s1, 'TokenCreate', { policies: [{ name: 'web-team' }] }, mgmt)).token.secretId;

    await register(s2, 'host-a', 'web-2', web);
    const svc = await refusal(register(s3, 'host-a', 'db', web));
    expect(svc.code).toBe(grpc.status.PERMISSION_DENIED);
    expect(svc.details).toContain('service:write on db');
    const node = await refusal(register(s3, 'host-b', 'web-3', web));
    expect(node.details).toContain('node:write on host-b');

    // Lists are filtered, never refused: the web team sees web and web-2, not db.
    const listed = await rpc<{ services: { name: string }[] }>(s3, Catalog, 'ListServices', {}, web);
    expect(listed.services.map((x) => x.name).sort()).toEqual(['web', 'web-2']);
    const all = await rpc<{ services: { name: string }[] }>(s3, Catalog, 'ListServices', {}, mgmt);
    expect(all.services.map((x) => x.name)).toContain('db');
    // Deregistering db needs service:write on db, whose name only the state tells.
    expect((await refusal(rpc(s2, Catalog, 'Deregister', { node: 'host-b', serviceId: 'db' }, web))).details).toContain('service:write on db');

    const created = await rpc<{ id: string }>(s1, Sessions, 'Create', { node: 'host-a', noChecks: true, ttlMs: 30_000 }, web);
    expect((await refusal(rpc(s1, Sessions, 'Create', { node: 'host-b', noChecks: true, ttlMs: 30_000 }, web))).details).toContain('session:write on host-b');
    await rpc(s1, Sessions, 'Destroy', { id: created.id }, web);
  });

  it("decides each operation of a Consul transaction by its own rule: a key outside the token's prefix, a service it may not write, refuse the whole transaction", async () => {
    const [s1, s2] = c.servers as [ServerProc, ServerProc, ServerProc];
    const mgmt = await resetAndBootstrap(s1);
    const Txn = registryProto().roster.registry.v1.Txn as unknown as grpc.ServiceClientConstructor;
    await acl(s1, 'PolicyCreate', { name: 'txn-team', rules: 'key_prefix "txn-team/" { policy = "write" }\nservice "tweb" { policy = "write" }\nnode_prefix "" { policy = "read" }' }, mgmt);
    const team = (await acl<{ token: TokenOut }>(s1, 'TokenCreate', { policies: [{ name: 'txn-team' }] }, mgmt)).token.secretId;
    await rpc(s1, registryProto().roster.registry.v1.Catalog as unknown as grpc.ServiceClientConstructor, 'Register', { node: { name: 'txn-host', address: '10.0.0.3' } }, mgmt);
    const set = (key: string): unknown => ({ kv: { verb: 'set', key: enc(key), value: enc('v') } });
    const service = (name: string): unknown => ({ service: { verb: 'set', node: 'txn-host', service: { name, port: 80 } } });
    // Inside the rules: applied (through a follower, forwarded to the leader).
    const ok = await rpc<{ errors: unknown[]; results: unknown[] }>(s2, Txn, 'Apply', { ops: [set('txn-team/a'), service('tweb')] }, team);
    expect(ok.errors).toEqual([]);
    expect(ok.results).toHaveLength(2);
    // One operation outside them refuses the whole transaction, naming the rule; nothing applied.
    const key = await refusal(rpc(s2, Txn, 'Apply', { ops: [set('txn-team/b'), set('other/x')] }, team));
    expect(key.code).toBe(grpc.status.PERMISSION_DENIED);
    expect(key.details).toContain('key:write on other/x');
    const svc = await refusal(rpc(s2, Txn, 'Apply', { ops: [set('txn-team/c'), service('tdb')] }, team));
    expect(svc.details).toContain('service:write on tdb');
    const read = await range(s1, 'txn-team/', 'txn-team0', mgmt);
    expect(read.count).toBe('1');
    expect((await refusal(rpc(s2, Txn, 'Apply', { ops: [set('txn-team/d')] }))).code).toBe(grpc.status.PERMISSION_DENIED);
  });

  it('refuses a watch outside the token\'s keys and ends a live stream when its token is deleted', async () => {
    const [s1, s2] = c.servers as [ServerProc, ServerProc];
    const mgmt = await resetAndBootstrap(s1);
    await acl(s1, 'PolicyCreate', { name: 'watcher', rules: 'key_prefix "w/" { policy = "read" }' }, mgmt);
    const t = (await acl<{ token: TokenOut }>(s1, 'TokenCreate', { policies: [{ name: 'watcher' }] }, mgmt)).token;
    const Watch = etcdProto().etcdserverpb.Watch as unknown as grpc.ServiceClientConstructor;
    const client = calls.client(s2.clientAddr, Watch);
    const md = new grpc.Metadata();
    md.set('x-roster-token', t.secretId);
    const stream = (client as unknown as { Watch: (md: grpc.Metadata) => grpc.ClientDuplexStream<unknown, { created: boolean; canceled: boolean; cancelReason: string; watchId: string }> }).Watch(md);
    const responses: { created: boolean; canceled: boolean; cancelReason: string }[] = [];
    let ended: grpc.ServiceError | undefined;
    stream.on('data', (r: { created: boolean; canceled: boolean; cancelReason: string }) => responses.push(r));
    stream.on('error', (e: grpc.ServiceError) => (ended = e));
    stream.write({ createRequest: { key: enc('x/'), rangeEnd: enc('x0') } });
    stream.write({ createRequest: { key: enc('w/'), rangeEnd: enc('w0') } });
    await eventually('both creates answered', async () => (responses.length >= 2 ? true : undefined));
    expect(responses[0]).toMatchObject({ created: true, canceled: true });
    expect(responses[0]!.cancelReason).toContain('key:read on every key under x/');
    expect(responses[1]).toMatchObject({ created: true, canceled: false });

    // The registry's watch stream too: a lock under w/ may be watched, a node may not; a
    // service's instances are filtered (none readable here), never refused, as Consul's lists.
    const RWatch = registryProto().roster.registry.v1.Watch as unknown as grpc.ServiceClientConstructor;
    const rclient = calls.client(s2.clientAddr, RWatch);
    const rstream = (rclient as unknown as { Watch: (md: grpc.Metadata) => grpc.ClientDuplexStream<unknown, { watchId: string; kind: string; cancelReason: string }> }).Watch(md);
    const rresponses: { watchId: string; kind: string; cancelReason: string; changes: unknown[] }[] = [];
    rstream.on('data', (r: { watchId: string; kind: string; cancelReason: string; changes: unknown[] }) => rresponses.push(r));
    rstream.on('error', () => undefined);
    rstream.write({ create: { watchId: '1', service: { service: 'web' } } });
    rstream.write({ create: { watchId: '2', lock: { key: enc('w/lock') } } });
    rstream.write({ create: { watchId: '3', node: { node: 'n1' } } });
    await eventually('the registry creates answered', async () => (new Set(rresponses.map((r) => r.watchId)).size >= 3 ? true : undefined));
    const byId = (id: string) => rresponses.find((r) => r.watchId === id)!;
    expect(byId('1')).toMatchObject({ kind: 'SNAPSHOT', changes: [] });
    expect(byId('2').kind).toBe('SNAPSHOT');
    expect(byId('3')).toMatchObject({ kind: 'CANCELED' });
    expect(byId('3').cancelReason).toContain('PERMISSION_DENIED: permission denied: token lacks node:read on n1');

    await acl(s1, 'TokenDelete', { accessorId: t.accessorId }, mgmt);
    const err = await eventually('the stream ends', async () => ended, 5000);
    expect(err.code).toBe(grpc.status.PERMISSION_DENIED);
    expect(err.details).toContain('deleted or has expired');
  });

  /** Consul's reset procedure: the index from the refusal, written to a server's data dir, allows one more bootstrap there. */
  async function resetAndBootstrap(s: ServerProc): Promise<string> {
    const refused = await refusal(acl(s, 'Bootstrap', {}));
    const index = /reset index: (\d+)/.exec(refused.details)![1]!;
    writeFileSync(join(s.dataDir, BOOTSTRAP_RESET_FILE), `${index}\n`);
    const out = await acl<{ token: TokenOut }>(s, 'Bootstrap', {});
    return out.token.secretId;
  }
});
