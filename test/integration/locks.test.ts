import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dec, enc, errorText, eventually, TestCluster, type ServerProc } from './cluster-harness.js';

interface AcquireRes {
  acquired: boolean;
  lockIndex: string;
  holder: string;
}

describe('sessions and locks on a 3-server cluster', () => {
  let c: TestCluster;
  let leader: ServerProc;
  let followers: ServerProc[];
  beforeAll(async () => {
    c = await TestCluster.start({ servers: 3, hostBase: 90 });
    leader = await c.waitForLeader();
    followers = c.servers.filter((s) => s !== leader);
    for (const n of ['app-1', 'app-2']) {
      await c.rcall(followers[0]!, 'Catalog', 'Register', { node: { name: n, address: '10.2.0.1' }, checks: [{ id: 'serfHealth', name: 'gossip', status: 'PASSING', type: 'gossip' }] });
    }
  });
  afterAll(async () => {
    await c?.destroy();
  });

  const session = async (node: string, ttlMs: number, lockDelayMs: number, s = followers[0]!): Promise<string> =>
    (await c.rcall<{ id: string }>(s, 'Sessions', 'Create', { node, ttlMs, lockDelayMs, name: `on-${node}` })).id;
  const acquire = (s: ServerProc, key: string, value: string, sessionId: string): Promise<AcquireRes> => c.rcall<AcquireRes>(s, 'Locks', 'Acquire', { key: enc(key), value: enc(value), session: sessionId });

  it('a lock passes to the next holder when its holder stops renewing its session, after the lock delay', async () => {
    const a = await session('app-1', 2000, 1000);
    const b = await session('app-2', 30_000, 1000, followers[1]);
    expect(await acquire(followers[0]!, 'locks/leader', 'a', a)).toMatchObject({ acquired: true, lockIndex: '1', holder: a });
    expect(await acquire(followers[1]!, 'locks/leader', 'b', b)).toMatchObject({ acquired: false, holder: a });
    let lastRenewal = 0;
    for (let i = 0; i < 4; i++) {
      // Taken before the call: the leader renews no earlier than this, however slow the answer.
      lastRenewal = Date.now();
      const renewed = await c.rcall<{ session: { id: string; ttlMs: string } }>(followers[1]!, 'Sessions', 'Renew', { id: a });
      expect(renewed.session).toMatchObject({ id: a, ttlMs: '2000' });
      await new Promise((r) => setTimeout(r, 700)); // renewals keep A's session (TTL 2 s) alive
    }
    expect((await acquire(followers[1]!, 'locks/leader', 'b', b)).acquired).toBe(false);
    // B keeps trying, as a lock helper would.
    const got = await eventually(
      'B takes the lock',
      async () => {
        const r = await acquire(followers[1]!, 'locks/leader', 'b', b);
        return r.acquired ? r : undefined;
      },
      15_000,
      100,
    );
    // From A's last renewal (sent): its TTL (2 s), then the lock delay (1 s). Measured from the
    // send, which the leader's renewal cannot precede, so a loaded machine cannot shrink it.
    const waited = Date.now() - lastRenewal;
    expect(got).toMatchObject({ acquired: true, lockIndex: '2', holder: b });
    expect(waited).toBeGreaterThanOrEqual(2950);
    await expect(c.rcall(followers[0]!, 'Sessions', 'Renew', { id: a })).rejects.toMatchObject({ code: grpc.status.NOT_FOUND });
    const lock = await c.rcall<{ lock: { value: Buffer; session: string; lockIndex: string } }>(leader, 'Locks', 'Get', { key: enc('locks/leader') });
    expect({ value: dec(lock.lock.value), session: lock.lock.session, index: lock.lock.lockIndex }).toEqual({ value: 'b', session: b, index: '2' });
    // etcd clients see the lock's key and value.
    const kv = await c.call<{ kvs: { value: Buffer }[] }>(followers[0]!, 'KV', 'Range', { key: enc('locks/leader') });
    expect(dec(kv.kvs[0]!.value)).toBe('b');
  });

  it('a session ends, and its locks are released, the moment a bound check turns critical', async () => {
    const a = await session('app-1', 0, 500);
    const b = await session('app-2', 0, 500);
    expect((await acquire(followers[0]!, 'locks/job', 'a', a)).acquired).toBe(true);
    await c.rcall(leader, 'Catalog', 'Register', { node: { name: 'app-1', address: '10.2.0.1' }, skipNodeUpdate: true, checks: [{ id: 'serfHealth', name: 'gossip', status: 'CRITICAL', type: 'gossip' }] });
    const info = await c.rcall(followers[1]!, 'Sessions', 'Info', { id: a }).then(
      () => 'alive',
      (err: grpc.ServiceError) => (err.code === grpc.status.NOT_FOUND ? 'gone' : errorText(err)),
    );
    expect(info).toBe('gone');
    const got = await eventually('B takes the job lock', async () => ((await acquire(followers[1]!, 'locks/job', 'b', b)).acquired ? true : undefined), 10_000, 100);
    expect(got).toBe(true);
  });
});
