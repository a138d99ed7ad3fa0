import { describe, expect, it } from 'vitest';
import { ALLOW_ALL, enforce } from '../../src/api/access/access-rules.js';
import { callerSecret, MAX_TOKEN_LENGTH } from '../../src/api/access/caller-token.js';
import { KV_ACCESS } from '../../src/api/access/kv-access.js';
import { Routes } from '../../src/api/routes.js';
import * as grpc from '@grpc/grpc-js';
import { etcdProto } from '../../src/proto/etcd-proto.js';
import { compileAuthorizer } from '../../src/store/acl/authorizer.js';
import { parseRules } from '../../src/store/acl/parse-rules.js';

const b = (s: string): Buffer => Buffer.from(s);
const authz = (rules: string, defaultPolicy: 'allow' | 'deny' = 'deny') => compileAuthorizer([parseRules(rules)], { management: false, defaultPolicy });
const errorOf = (f: () => void): { code: string; message: string } | undefined => {
  try {
    f();
    return undefined;
  } catch (err) {
    return err as { code: string; message: string };
  }
};

describe('access rules of etcd KV', () => {
  const app = authz('key_prefix "app/" { policy = "write" }\nkey "app/locked" { policy = "read" }');

  it('a Range needs read on every key it may return', () => {
    expect(errorOf(() => enforce(KV_ACCESS.Range, { key: b('app/a'), rangeEnd: b('') }, app))).toBeUndefined();
    expect(errorOf(() => enforce(KV_ACCESS.Range, { key: b('app/'), rangeEnd: b('app0') }, app))).toBeUndefined();
    const wide = errorOf(() => enforce(KV_ACCESS.Range, { key: b('a'), rangeEnd: b('b') }, app));
    expect(wide).toMatchObject({ code: 'PERMISSION_DENIED' });
    expect(wide!.message).toContain('key:read on every key under a');
    // Every key from "" on: only the empty prefix covers it.
    expect(errorOf(() => enforce(KV_ACCESS.Range, { key: b('app/'), rangeEnd: Buffer.from([0]) }, app))).toMatchObject({ code: 'PERMISSION_DENIED' });
  });

  it('a DeleteRange needs write on all it may delete: an exact read rule under the prefix refuses it', () => {
    expect(errorOf(() => enforce(KV_ACCESS.DeleteRange, { key: b('app/a'), rangeEnd: b('') }, app))).toBeUndefined();
    expect(errorOf(() => enforce(KV_ACCESS.DeleteRange, { key: b('app/'), rangeEnd: b('app0') }, app))?.message).toContain('key:write on every key under app/');
    expect(errorOf(() => enforce(KV_ACCESS.Put, { key: b('app/locked'), value: b('') }, app))?.message).toContain('key:write on app/locked');
  });

  it('a Txn needs what both branches and its compares need', () => {
    const txn = (failureKey: string) => ({ compare: [{ result: 'EQUAL', target: 'VERSION', key: b('app/c'), rangeEnd: b(''), version: '0', targetUnion: 'version' }], success: [{ requestPut: { key: b('app/a'), value: b('1'), lease: '0' }, request: 'requestPut' }], failure: [{ requestDeleteRange: { key: b(failureKey), rangeEnd: b('') }, request: 'requestDeleteRange' }] });
    expect(errorOf(() => enforce(KV_ACCESS.Txn, txn('app/b'), app))).toBeUndefined();
    expect(errorOf(() => enforce(KV_ACCESS.Txn, txn('etc/b'), app))?.message).toContain('key:write on etc/b');
  });

  it('compaction is an operator act; with ACLs off everything is allowed', () => {
    expect(errorOf(() => enforce(KV_ACCESS.Compact, { revision: '1' }, app))?.message).toContain('operator:write');
    expect(errorOf(() => enforce(KV_ACCESS.Compact, { revision: '1' }, ALLOW_ALL))).toBeUndefined();
    expect(errorOf(() => enforce(KV_ACCESS.Put, { key: b('anything'), value: b('') }, ALLOW_ALL))).toBeUndefined();
  });
});

describe('the caller token and the routing table', () => {
  it('reads x-roster-token, bounded, and refuses two of them', () => {
    const md = new grpc.Metadata();
    expect(callerSecret(md)).toBe('');
    md.set('x-roster-token', 'abc');
    expect(callerSecret(md)).toBe('abc');
    md.add('x-roster-token', 'def');
    expect(errorOf(() => callerSecret(md))).toMatchObject({ code: 'ACL_NOT_FOUND' });
    const long = new grpc.Metadata();
    long.set('x-roster-token', 'x'.repeat(MAX_TOKEN_LENGTH + 1));
    expect(errorOf(() => callerSecret(long))).toMatchObject({ code: 'ACL_NOT_FOUND' });
  });

  it('names every served method that has no access rule', () => {
    const routes = new Routes();
    const KV = etcdProto().etcdserverpb.KV;
    routes.addService(KV.service);
    routes.guard(KV, { Range: KV_ACCESS.Range, Put: KV_ACCESS.Put });
    expect(routes.unguarded().sort()).toEqual(['/etcdserverpb.KV/Compact', '/etcdserverpb.KV/DeleteRange', '/etcdserverpb.KV/Txn']);
    routes.guardRest(KV, 'operator');
    expect(routes.unguarded()).toEqual([]);
  });
});
