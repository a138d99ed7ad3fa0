import * as grpc from '@grpc/grpc-js';
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentProto } from '../../src/proto/agent-proto.js';
import { eventually, freePort, TestCluster } from './cluster-harness.js';

const ROSTER = resolve(import.meta.dirname, '../../bin/roster.mjs');
const roster = (...args: string[]): { code: number; out: string; err: string } => {
  const r = spawnSync(process.execPath, [ROSTER, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status ?? -1, out: r.stdout.trim(), err: r.stderr.trim() };
};


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

  it('roster services register goes through the local agent (with an HTTP check it runs), or into the catalog when no agent answers, and says which', async () => {
    const s = c.servers[0]!;
    const app = createServer((_req, res) => res.writeHead(200).end('ok'));
    await new Promise<void>((r) => app.listen(0, '127.0.0.1', () => r()));
    try {
      const port = (app.address() as { port: number }).port;
      const via = roster('services', 'register', 'greeter', '--port', String(port), '--http', `http://127.0.0.1:${port}/health`, '--interval-ms', '1000', '--agent', apiAddr, '--endpoint', s.clientAddr);
      expect(via).toMatchObject({ code: 0, out: `registered greeter with the agent at ${apiAddr} (check greeter:http); it keeps it in the catalog` });
      // On the agent's own node (the dev server's), passing once the agent has run its check.
      const passing = await eventually('greeter passing on the agent\'s node', async () => {
        const r = await c.rcall<{ instances: { node: { name: string }; status: string }[] }>(s, 'Health', 'ServiceInstances', { service: 'greeter' });
        return r.instances.length === 1 && r.instances[0]!.status === 'PASSING' ? r.instances[0]! : undefined;
      }, 20_000);
      expect(passing.node.name).toBe(s.name);
      // No agent at the address: into the catalog, saying so; an HTTP check then has nowhere to run.
      const noAgent = roster('services', 'register', 'plain', '--port', '81', '--agent', '127.0.0.1:1', '--endpoint', s.clientAddr);
      expect(noAgent.code).toBe(0);
      expect(noAgent.out).toMatch(/^registered plain-\S+ on node \S+ in the catalog \(no agent answers at 127\.0\.0\.1:1\)$/);
      const noRunner = roster('services', 'register', 'web', '--port', '82', '--http', 'http://127.0.0.1:1/', '--agent', '127.0.0.1:1', '--endpoint', s.clientAddr);
      expect(noRunner).toMatchObject({ code: 1, err: 'roster: HTTP and TCP checks run in an agent, and none answers at 127.0.0.1:1: start one with --api-addr, pass --agent HOST:PORT, or register in the catalog with --node and --ttl-ms' });
      expect(roster('services', 'register', 'web', '--port', '82', '--tcp', '127.0.0.1:1', '--ttl-ms', '5000', '--endpoint', s.clientAddr)).toMatchObject({ code: 2, err: 'roster: give one check: --http, --tcp or --ttl-ms' });
    } finally {
      app.close();
    }
  });

  it('roster maint puts the service, then the node, in maintenance and back; roster leave stops the agent', async () => {
    const s = c.servers[0]!;
    const status = async (): Promise<string> => {
      const r = await c.rcall<{ instances: { status: string }[] }>(s, 'Health', 'ServiceInstances', { service: 'devsvc' });
      return r.instances.map((i) => i.status).join(',');
    };
    await eventually('devsvc passing', async () => ((await status()) === 'PASSING' ? true : undefined));
    const on = roster('maint', 'enable', '--service', 'devsvc', '--reason', 'deploying', '--agent', apiAddr);
    expect(on.code).toBe(0);
    await eventually('devsvc critical in maintenance', async () => ((await status()) === 'CRITICAL' ? true : undefined));
    expect(roster('maint', 'disable', '--service', 'devsvc', '--agent', apiAddr).code).toBe(0);
    await eventually('devsvc passing again', async () => ((await status()) === 'PASSING' ? true : undefined));
    expect(roster('maint', 'enable', '--reason', 'kernel', '--agent', apiAddr).code).toBe(0);
    await eventually('devsvc critical with its node in maintenance', async () => ((await status()) === 'CRITICAL' ? true : undefined));
    expect(roster('maint', 'disable', '--agent', apiAddr).code).toBe(0);
    await eventually('devsvc passing after node maintenance', async () => ((await status()) === 'PASSING' ? true : undefined));
    const bad = roster('maint', 'enable', '--service', 'nope', '--agent', apiAddr);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/^roster: .*no service nope on this agent$/);
    const left = roster('leave', '--agent', apiAddr);
    expect(left.code).toBe(0);
    await eventually('the dev agent process exits after leave', async () => (s.proc === undefined || s.proc.exitCode !== null ? true : undefined), 20_000);
    expect(s.proc?.exitCode ?? 0).toBe(0);
  });
});
