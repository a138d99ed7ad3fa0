import { describe, expect, it } from 'vitest';
import { enforce } from '../../src/api/access/access-rules.js';
import { LEASE_ACCESS, leaseRevokeNeeds, readableLeaseKeys } from '../../src/api/access/lease-access.js';
import { compileAuthorizer } from '../../src/store/acl/authorizer.js';
import { parseRules } from '../../src/store/acl/parse-rules.js';
import { NAMESPACE, nsKey } from '../../src/store/kv/namespace.js';
import { nodeServiceKey } from '../../src/store/registry/keys.js';

const b = (s: string): Buffer => Buffer.from(s);
const authz = (rules: string) => compileAuthorizer([parseRules(rules)], { management: false, defaultPolicy: 'deny' });
const app = authz('key_prefix "app/" { policy = "write" }\nkey_prefix "ro/" { policy = "read" }\nservice "web" { policy = "write" }\nnode "n2" { policy = "write" }');
const denied = (ds: readonly { allowed: boolean; message?: string }[]): string[] => ds.filter((d) => !d.allowed).map((d) => d.message ?? '');

describe('access rules of etcd leases', () => {
  it('grants and keep-alives need only a valid token; listing every lease is an operator read', () => {
    expect(() => enforce(LEASE_ACCESS.LeaseGrant, { TTL: 10 }, app)).not.toThrow();
    expect(() => enforce(LEASE_ACCESS.LeaseKeepAlive, {}, app)).not.toThrow();
    expect(() => enforce(LEASE_ACCESS.LeaseLeases, {}, app)).toThrow(/operator:read/);
    expect(() => enforce(LEASE_ACCESS.LeaseLeases, {}, authz('operator = "read"'))).not.toThrow();
  });

  it('a revoke needs write on every attached key and on the service of every attached registration', () => {
    const names = new Map([['n1\u0000web-1', 'web'], ['n1\u0000db-1', 'db']]);
    const serviceOf = (node: string, id: string): string | undefined => names.get(`${node}\u0000${id}`);
    expect(denied(leaseRevokeNeeds(app, [nsKey(NAMESPACE.kv, b('app/a')), nodeServiceKey('n1', 'web-1')], serviceOf))).toEqual([]);
    expect(denied(leaseRevokeNeeds(app, [nsKey(NAMESPACE.kv, b('app/a')), nsKey(NAMESPACE.kv, b('ro/x'))], serviceOf))).toEqual([expect.stringContaining('key:write on ro/x')]);
    expect(denied(leaseRevokeNeeds(app, [nodeServiceKey('n1', 'db-1')], serviceOf))).toEqual([expect.stringContaining('service:write on db')]);
    // A registration gone from the state falls back to its node.
    expect(denied(leaseRevokeNeeds(app, [nodeServiceKey('n2', 'gone')], serviceOf))).toEqual([]);
    expect(denied(leaseRevokeNeeds(app, [nodeServiceKey('n3', 'gone')], serviceOf))).toEqual([expect.stringContaining('node:write on n3')]);
    expect(denied(leaseRevokeNeeds(app, [nsKey(NAMESPACE.sessions, b('s'))], serviceOf))).toEqual([expect.stringContaining('operator:write')]);
    expect(leaseRevokeNeeds(app, [], serviceOf)).toEqual([]);
  });

  it('LeaseTimeToLive lists only the attached keys the token may read', () => {
    expect(readableLeaseKeys(app, [b('app/a'), b('secret/x'), b('ro/y')]).map((k) => Buffer.from(k).toString())).toEqual(['app/a', 'ro/y']);
  });
});
