import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Endpoints } from '../../src/client/endpoints.js';
import { certainlyNotExecuted, idempotencyOf, mayRetry } from '../../src/client/retry-policy.js';
import { toGrpcError } from '../../src/api/grpc-errors.js';
import { etcdProto } from '../../src/proto/etcd-proto.js';
import { registryProto } from '../../src/proto/registry-proto.js';
import { RosterError } from '../../src/util/errors.js';

const etcd = etcdProto().etcdserverpb;
const ctor = (svc: unknown): grpc.ServiceClientConstructor => svc as grpc.ServiceClientConstructor;
const status = (code: grpc.status, details = 'x'): grpc.ServiceError => Object.assign(new Error(details), { code, details, metadata: new grpc.Metadata() });

describe('method idempotency, read from the protos', () => {
  it.each([
    [ctor(etcd.KV).service.Range, 'NO_SIDE_EFFECTS'],
    [ctor(etcd.Lease).service.LeaseTimeToLive, 'NO_SIDE_EFFECTS'],
    [ctor(etcd.KV).service.Put, 'IDEMPOTENCY_UNKNOWN'],
    [ctor(etcd.Lease).service.LeaseGrant, 'IDEMPOTENCY_UNKNOWN'],
    [ctor(registryProto().roster.registry.v1.Catalog).service.Register, 'IDEMPOTENT'],
    [ctor(registryProto().roster.registry.v1.Sessions).service.Create, 'IDEMPOTENCY_UNKNOWN'],
  ])('%#: %s', (def, level) => {
    expect(idempotencyOf(def)).toBe(level);
  });

  it('a definition without options is a write', () => {
    expect(idempotencyOf(undefined)).toBe('IDEMPOTENCY_UNKNOWN');
    expect(idempotencyOf({ path: '/x/Y' })).toBe('IDEMPOTENCY_UNKNOWN');
  });
});

describe('mayRetry', () => {
  it('retries a read or an idempotent call after an ambiguous failure, never a write', () => {
    for (const code of [grpc.status.DEADLINE_EXCEEDED, grpc.status.UNAVAILABLE, grpc.status.CANCELLED, grpc.status.INTERNAL]) {
      expect(mayRetry('NO_SIDE_EFFECTS', status(code))).toBe(true);
      expect(mayRetry('IDEMPOTENT', status(code))).toBe(true);
      expect(mayRetry('IDEMPOTENCY_UNKNOWN', status(code))).toBe(false);
    }
  });

  it('never retries an answer from the application (not found, invalid argument)', () => {
    expect(mayRetry('NO_SIDE_EFFECTS', status(grpc.status.NOT_FOUND))).toBe(false);
    expect(mayRetry('NO_SIDE_EFFECTS', status(grpc.status.INVALID_ARGUMENT))).toBe(false);
  });

  it("retries a write the server refused as not the leader, or that never found a connection", () => {
    const refusal = toGrpcError(new RosterError('NOT_LEADER', 'etcdserver: not leader', { leader: 'n2', leaderAddr: 'h:2' }));
    expect(certainlyNotExecuted(refusal)).toBe(true);
    expect(mayRetry('IDEMPOTENCY_UNKNOWN', refusal)).toBe(true);
    expect(mayRetry('IDEMPOTENCY_UNKNOWN', toGrpcError(new RosterError('NO_LEADER', 'etcdserver: no leader')))).toBe(true);
    // The leader refuses proposals while it hands leadership over (before taking them).
    expect(mayRetry('IDEMPOTENCY_UNKNOWN', toGrpcError(new RosterError('TRANSFER_IN_PROGRESS', 'leadership is being transferred to n2')))).toBe(true);
    // A stopping server takes no new writes (those in flight finish): another server may.
    expect(mayRetry('IDEMPOTENCY_UNKNOWN', toGrpcError(new RosterError('SHUTTING_DOWN', 'etcdserver: server n1 is stopping')))).toBe(true);
    // The stop itself fails the writes it could not wait for: their outcome is unknown.
    expect(mayRetry('IDEMPOTENCY_UNKNOWN', toGrpcError(new RosterError('UNAVAILABLE', 'etcdserver: server stopped')))).toBe(false);
    expect(mayRetry('IDEMPOTENCY_UNKNOWN', status(grpc.status.UNAVAILABLE, 'No connection established. Last error: connect ECONNREFUSED 127.0.0.1:1'))).toBe(true);
    // "leader changed" and "timed out" leave a forwarded write's outcome unknown.
    expect(mayRetry('IDEMPOTENCY_UNKNOWN', toGrpcError(new RosterError('LEADER_CHANGED', 'etcdserver: leader changed')))).toBe(false);
    expect(mayRetry('IDEMPOTENCY_UNKNOWN', toGrpcError(new RosterError('TIMEOUT', 'etcdserver: request timed out')))).toBe(false);
  });
});

/** Two fake servers: `calls` counts each method per server. */
describe('Endpoints.unary follows the policy against real gRPC servers', () => {
  const servers: grpc.Server[] = [];
  const addrs: string[] = [];
  const calls: Record<string, number>[] = [{}, {}];
  const count = (i: number, m: string): void => {
    calls[i]![m] = (calls[i]![m] ?? 0) + 1;
  };

  beforeAll(async () => {
    for (let i = 0; i < 2; i++) {
      const s = new grpc.Server();
      const never = (m: string) => (): void => count(i, m); // never answers: the client's deadline passes
      s.addService(ctor(etcd.Lease).service, { LeaseGrant: never('LeaseGrant') });
      s.addService(ctor(etcd.KV).service, {
        Range: i === 0 ? never('Range') : (_c: unknown, cb: grpc.sendUnaryData<unknown>) => (count(i, 'Range'), cb(null, { kvs: [], count: 0 })),
        Put: (_c: unknown, cb: grpc.sendUnaryData<unknown>) => {
          count(i, 'Put');
          if (i === 0) cb(toGrpcError(new RosterError('NOT_LEADER', 'etcdserver: not leader', { leader: 'n2', leaderAddr: addrs[1]! })));
          else cb(null, {});
        },
      });
      const port = await new Promise<number>((res, rej) => s.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) => (e ? rej(e) : res(p))));
      servers.push(s);
      addrs.push(`127.0.0.1:${port}`);
    }
  });
  afterAll(() => {
    for (const s of servers) s.forceShutdown();
  });

  it('a LeaseGrant that times out is not sent again (it may have granted a lease)', async () => {
    const e = new Endpoints(addrs);
    await expect(e.unary(ctor(etcd.Lease), 'LeaseGrant', { TTL: 10 }, 1500)).rejects.toMatchObject({ code: grpc.status.DEADLINE_EXCEEDED });
    expect([calls[0]!.LeaseGrant, calls[1]!.LeaseGrant]).toEqual([1, undefined]);
    e.close();
  });

  it('a Range that times out is sent to the next server', async () => {
    const e = new Endpoints(addrs);
    await expect(e.unary(ctor(etcd.KV), 'Range', { key: Buffer.from('k') }, 1500)).resolves.toMatchObject({ count: '0' });
    expect([calls[0]!.Range, calls[1]!.Range]).toEqual([1, 1]);
    e.close();
  });

  it("a Put refused as not the leader goes to the leader it names", async () => {
    const e = new Endpoints([addrs[0]!, '127.0.0.1:1', addrs[1]!]);
    await e.unary(ctor(etcd.KV), 'Put', { key: Buffer.from('k'), value: Buffer.from('v') }, 2000);
    expect([calls[0]!.Put, calls[1]!.Put]).toEqual([1, 1]);
    expect(e.currentAddress).toBe(addrs[1]);
    e.close();
  });
});
