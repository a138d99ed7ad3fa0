import * as grpc from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import { Endpoints } from '../../src/client/endpoints.js';
import { etcdProto } from '../../src/proto/etcd-proto.js';
import { registryProto } from '../../src/proto/registry-proto.js';

const KV = (): grpc.ServiceClientConstructor => etcdProto().etcdserverpb.KV as unknown as grpc.ServiceClientConstructor;

/** A KV server on 127.0.0.1 whose Put answers `answer(n)` for its n-th call (from 1). */
async function kvServer(answer: (n: number) => 'ok' | 'no-leader'): Promise<{ addr: string; calls: () => number; stop: () => void }> {
  const server = new grpc.Server();
  let calls = 0;
  server.addService(KV().service, {
    Put: (_call: unknown, cb: grpc.sendUnaryData<object>) => {
      if (answer(++calls) === 'ok') return cb(null, { header: {} });
      const md = new grpc.Metadata();
      md.set('roster-error-code', 'NO_LEADER');
      cb({ code: grpc.status.UNAVAILABLE, details: 'etcdserver: no leader', metadata: md });
    },
  });
  const port = await new Promise<number>((resolve, reject) => server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))));
  return { addr: `127.0.0.1:${port}`, calls: () => calls, stop: () => server.forceShutdown() };
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});
const put = (e: Endpoints, timeoutMs: number): Promise<unknown> => e.unary(KV(), 'Put', { key: Buffer.from('k'), value: Buffer.from('v') }, timeoutMs);

const Catalog = (): grpc.ServiceClientConstructor => registryProto().roster.registry.v1.Catalog as unknown as grpc.ServiceClientConstructor;

describe('Endpoints', () => {
  it('follows a new server list: the current server stays current if still listed; channels to dropped ones close', () => {
    const e = new Endpoints(['10.0.0.1:8502', '10.0.0.2:8502']);
    e.rotate();
    expect(e.currentAddress).toBe('10.0.0.2:8502');
    const dropped = e.client(Catalog(), '10.0.0.1:8502');
    e.setAddresses(['10.0.0.3:8502', '10.0.0.2:8502']);
    expect(e.currentAddress).toBe('10.0.0.2:8502');
    expect(dropped.getChannel().getConnectivityState(false)).toBe(grpc.connectivityState.SHUTDOWN);
    e.setAddresses(['10.0.0.4:8502']);
    expect(e.currentAddress).toBe('10.0.0.4:8502');
    expect(e.addresses).toEqual(['10.0.0.4:8502']);
    e.close();
  });

  it('refuses an empty list or a malformed address, keeping the old list', () => {
    const e = new Endpoints(['10.0.0.1:8502']);
    expect(() => e.setAddresses([])).toThrow(/at least one endpoint/);
    expect(() => e.setAddresses(['nope'])).toThrow(/host:port/);
    expect(e.addresses).toEqual(['10.0.0.1:8502']);
    e.close();
  });

  it('a write every server refuses for lack of a leader is tried again in later rounds, after a pause, until one takes it', async () => {
    // Both servers refuse their first three calls (an election in progress), then accept.
    const a = await kvServer((n) => (n <= 3 ? 'no-leader' : 'ok'));
    const b = await kvServer((n) => (n <= 3 ? 'no-leader' : 'ok'));
    const e = new Endpoints([a.addr, b.addr]);
    cleanups.push(a.stop, b.stop, () => e.close());
    await expect(put(e, 5000)).resolves.toBeDefined();
    expect(a.calls() + b.calls()).toBe(7);
  });

  it('gives up with the refusal once the timeout would pass', async () => {
    const a = await kvServer(() => 'no-leader');
    const e = new Endpoints([a.addr]);
    cleanups.push(a.stop, () => e.close());
    const started = Date.now();
    await expect(put(e, 300)).rejects.toMatchObject({ code: grpc.status.UNAVAILABLE, details: 'etcdserver: no leader' });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(a.calls()).toBeGreaterThan(2);
  });

  it('servers that cannot be reached fail a write after one round, without waiting out the timeout', async () => {
    const a = await kvServer(() => 'ok');
    a.stop(); // its port is now closed
    const e = new Endpoints([a.addr]);
    cleanups.push(() => e.close());
    const started = Date.now();
    await expect(put(e, 10_000)).rejects.toMatchObject({ code: grpc.status.UNAVAILABLE });
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
