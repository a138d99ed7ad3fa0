import type * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Endpoints } from '../../src/client/endpoints.js';
import { etcdProto } from '../../src/proto/etcd-proto.js';
import { enc, TestCluster, type ServerProc } from './cluster-harness.js';

/**
 * A rolling restart of five servers with SIGTERM, followers first and the leader last, while a
 * client writes through the SDK's Endpoints (all five addresses). The only leadership change is
 * the leader's own handover: the term moves by exactly one over the whole restart, no server
 * stands for election but the chosen successor, and every write the client made succeeded. A
 * restarted follower may pre-vote before the leader's connection to it is back (reconnects back
 * off to 1 s, elections time out in 400-800 ms); pre-votes move no term and are refused while the
 * leader is heard, which is what they are for, so they are reported but allowed.
 */
describe('rolling SIGTERM restart of five servers, leader last', () => {
  let c: TestCluster;
  beforeAll(async () => {
    c = await TestCluster.start({ servers: 5, hostBase: 200 });
  }, 90_000);
  afterAll(async () => {
    await c?.destroy();
  });

  it('costs one handover and no election the client sees', async () => {
    const leader = await c.waitForLeader();
    const term = (await c.status(leader)).term;
    const logFrom = new Map(c.servers.map((s) => [s.name, s.log.length]));
    const endpoints = new Endpoints(c.servers.map((s) => s.clientAddr));
    const KV = etcdProto().etcdserverpb.KV as unknown as grpc.ServiceClientConstructor;
    let writing = true;
    const failures: string[] = [];
    let done = 0;
    const writer = (async () => {
      for (let i = 0; writing && i < 20_000; i++) {
        await endpoints.unary(KV, 'Put', { key: enc(`roll/${i % 50}`), value: enc(String(i)) }, 5000).then(
          () => done++,
          (err: unknown) => failures.push(String(err)),
        );
      }
    })();
    try {
      const order: ServerProc[] = [...c.servers.filter((s) => s !== leader), leader];
      for (const s of order) {
        await c.stop(s);
        await c.launch(s, 'new');
        await c.waitForLeader(15_000);
      }
      const before = done;
      while (done < before + 20) await new Promise((r) => setTimeout(r, 20));
    } finally {
      writing = false;
      await writer;
      endpoints.close();
    }
    const now = await c.waitForLeader();
    for (const s of c.servers) expect((await c.status(s)).term).toBe(term + 1);
    expect(leader.log.some((l) => l.includes('leadership handed over before stopping'))).toBe(true);
    const became = (role: string) => c.servers.filter((s) => s.log.slice(logFrom.get(s.name)).some((l) => l.includes('"msg":"raft role changed"') && l.includes(`"role":"${role}"`))).map((s) => s.name);
    expect(became('candidate')).toEqual([now.name]);
    console.log(`rolling restart of 5: ${done} writes, ${failures.length} failed${failures.length > 0 ? `: ${[...new Set(failures)].join(' | ')}` : ''}; one handover to ${now.name}; pre-voted (refused): ${became('preCandidate').join(', ') || 'none'}`);
    expect(failures).toEqual([]);
  }, 240_000);
});
