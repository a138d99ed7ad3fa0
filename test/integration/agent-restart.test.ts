import * as grpc from '@grpc/grpc-js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentProto } from '../../src/proto/agent-proto.js';
import { eventually, freePort, TestCluster } from './cluster-harness.js';

type Unary = (req: unknown, opts: grpc.CallOptions, cb: (err: grpc.ServiceError | null, res: unknown) => void) => void;

/**
 * A client agent with a data dir keeps what applications registered through it, and its
 * maintenance mode, across a crash: restarted, it puts them back before its first sync, so the
 * catalog never loses them while the applications have not registered again.
 */
describe('a client agent that restarts keeps its applications\' services', () => {
  let c: TestCluster;
  let dataDir: string;
  beforeAll(async () => {
    c = await TestCluster.start({ servers: 1, hostBase: 240, gossip: { extraArgs: [] } });
    dataDir = mkdtempSync(join(tmpdir(), 'roster-agent-'));
  }, 60_000);
  afterAll(async () => {
    await c?.destroy();
    if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
  });

  it("kill -9 and restart: the service, its TTL check's last status and its maintenance are back; a damaged state file refuses to start", async () => {
    const apiAddr = `127.0.0.250:${await freePort('127.0.0.250')}`;
    const args = ['--api-addr', apiAddr, '--data-dir', dataDir];
    const agent = await c.startAgent('keeper', '127.0.0.250', args);
    const Ctor = agentProto().roster.agent.v1.Agent as unknown as grpc.ServiceClientConstructor;
    const api = new Ctor(apiAddr, grpc.credentials.createInsecure()) as unknown as grpc.Client & Record<string, Unary>;
    const call = <T>(m: string, req: unknown): Promise<T> => new Promise((res, rej) => api[m]!(req, { deadline: Date.now() + 10_000 }, (err, r) => (err ? rej(err) : res(r as T))));
    const checksOnServer = async (): Promise<string> => {
      const r = await c.rcall<{ instances: { checks: { id: string; status: string }[] }[] }>(c.servers[0]!, 'Health', 'ServiceInstances', { service: 'billing' });
      // The service's own checks (the node's serfHealth follows gossip, not the agent).
      return r.instances.flatMap((i) => i.checks.filter((k) => k.id !== 'serfHealth').map((k) => `${k.id}=${k.status}`)).sort().join(',');
    };
    try {
      await call('RegisterService', { service: { name: 'billing', id: 'billing-1', port: 7000, tags: ['v1'] }, checks: [{ id: 'billing-ttl', ttlMs: 60_000 }] });
      await call('UpdateTtl', { checkId: 'billing-ttl', status: 'passing', output: 'all good' });
      await call('Maintenance', { enable: true, serviceId: 'billing-1', reason: 'migrating' });
      // Checks registered on their own: one on the node, one on the service.
      await call('RegisterCheck', { check: { id: 'disk', name: 'disk', ttlMs: 60_000 }, serviceId: '', status: 'passing' });
      await call('RegisterCheck', { check: { id: 'billing-extra', name: 'billing extra', ttlMs: 60_000 }, serviceId: 'billing-1', status: 'warning' });
      await eventually('on the server with its maintenance', async () => ((await checksOnServer()).includes('_service_maintenance:billing-1=CRITICAL') ? true : undefined), 15_000);
      c.signalAgent(agent, 'SIGKILL');
      await c.startAgent('keeper', '127.0.0.250', args);
      const listed = await eventually('the restarted agent lists the service again', async () => {
        const r = await call<{ services: { service: { id: string; tags: string[]; port: number }; checks: { id: string; output: string }[] }[]; nodeChecks: { id: string; status: string }[] }>('Services', {}).catch(() => undefined);
        return r !== undefined && r.services.length === 1 ? { ...r.services[0]!, nodeChecks: r.nodeChecks } : undefined;
      }, 20_000);
      expect(listed.nodeChecks.map((k) => `${k.id}:${k.status}`)).toEqual(['disk:passing']);
      expect(listed.service).toMatchObject({ id: 'billing-1', port: 7000, tags: ['v1'] });
      // The TTL check comes back with its last report (and a fresh TTL), not critical.
      expect(listed.checks.map((k) => `${k.id}:${k.output}`).sort()).toEqual(['_service_maintenance:billing-1:migrating', 'billing-extra:', 'billing-ttl:all good']);
      // The catalog still has it, maintenance included (no deregistration in between, no flap).
      expect(await checksOnServer()).toBe('_service_maintenance:billing-1=CRITICAL,billing-extra=WARNING,billing-ttl=PASSING,disk=PASSING');
      // Deregistered, it stays gone after another restart.
      await call('DeregisterService', { id: 'billing-1' });
      c.signalAgent(c.agents.find((a) => a.name === 'keeper')!, 'SIGKILL');
      await c.startAgent('keeper', '127.0.0.250', args);
      expect((await call<{ services: unknown[] }>('Services', {})).services).toEqual([]);
      // A damaged state file: the agent refuses to start, naming the file, rather than start empty.
      c.signalAgent(c.agents.find((a) => a.name === 'keeper')!, 'SIGKILL');
      writeFileSync(join(dataDir, 'agent-state.json'), '{"version": 1, "servi');
      await expect(c.startAgent('keeper', '127.0.0.250', args)).rejects.toThrow(/agent-state\.json: not valid JSON/);
    } finally {
      api.close();
    }
  }, 90_000);
});
