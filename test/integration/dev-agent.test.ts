import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentProto } from '../../src/proto/agent-proto.js';
import { eventually, freePort, TestCluster } from './cluster-harness.js';


/** A server started with --api-addr is an agent too (what npm start runs): one process for dev. */
describe('dev agent: a server and its local agent API in one process', () => {
  let c: TestCluster;
  let apiAddr: string;
  beforeAll(async () => {
    apiAddr = `127.0.0.201:${await freePort('127.0.0.201')}`;
    c = await TestCluster.start({ servers: 1, hostBase: 200, gossip: { extraArgs: [] }, extraArgs: ['--api-addr', apiAddr] });
  });
  afterAll(async () => {
    await c?.destroy();
  });

  it('registers through the agent API onto its own node, and discovers through it', async () => {
    const s = c.servers[0]!;
    expect(s.log.some((l) => l.includes(`agent API ${apiAddr}`))).toBe(true);
    const Ctor = agentProto().roster.agent.v1.Agent as unknown as grpc.ServiceClientConstructor;
    const agent = new Ctor(apiAddr, grpc.credentials.createInsecure()) as unknown as Record<string, (req: unknown, opts: grpc.CallOptions, cb: (err: grpc.ServiceError | null, res: unknown) => void) => void> & grpc.Client;
    const call = <T>(m: string, req: unknown): Promise<T> => new Promise((res, rej) => agent[m]!(req, { deadline: Date.now() + 10_000 }, (err, r) => (err ? rej(err) : res(r as T))));
    try {
      await call('RegisterService', { service: { name: 'devsvc', port: 1234 }, checks: [{ id: 'devsvc-ttl', ttlMs: 60_000 }] });
      await call('UpdateTtl', { checkId: 'devsvc-ttl', status: 'passing', output: 'ok' });
      const node = await eventually('on the catalog', async () => {
        const r = await c.rcall<{ services: { id: string }[]; checks: { id: string; status: string }[] }>(s, 'Catalog', 'NodeServices', { node: 'n1' }).catch(() => undefined);
        return r?.checks.some((ch) => ch.id === 'devsvc-ttl' && ch.status === 'PASSING') === true ? r : undefined;
      });
      expect(node.services.map((x) => x.id)).toEqual(['devsvc']);
      const found = await eventually('discovered through the agent', async () => {
        const r = await call<{ instances: { id: string; node: string }[]; stale: boolean }>('Instances', { service: 'devsvc' });
        return r.instances.length === 1 ? r : undefined;
      });
      expect(found).toMatchObject({ instances: [{ id: 'devsvc', node: 'n1' }], stale: false });
    } finally {
      agent.close();
    }
  });
});
