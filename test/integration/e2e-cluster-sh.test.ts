import * as grpc from '@grpc/grpc-js';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentProto } from '../../src/proto/agent-proto.js';
import { eventually } from './cluster-harness.js';

const ROOT = resolve(import.meta.dirname, '../..');
type Unary = (req: unknown, opts: grpc.CallOptions, cb: (err: grpc.ServiceError | null, res: unknown) => void) => void;
type Answer = { instances: { id: string; node: string; status: string }[]; stale: boolean };

function cluster(dir: string, ...args: string[]): string {
  const r = spawnSync(join(ROOT, 'scripts/cluster.sh'), [...args, '--dir', dir], { encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`cluster.sh ${args.join(' ')} failed: ${r.stdout}${r.stderr}`);
  return r.stdout;
}

/**
 * The deployed topology from scripts/cluster.sh (servers on 127.0.0.1-3, client agents on
 * 127.0.0.11-12 with their local API on :8500): an app registered through one agent with an
 * HTTP check, watched through the other agent.
 */
describe('end to end with scripts/cluster.sh: 3 servers, 2 agents', () => {
  const dir = mkdtempSync(join(tmpdir(), 'roster-e2e-'));
  let app: Server;
  let healthy = true;
  let port = 0;
  const Ctor = agentProto().roster.agent.v1.Agent as unknown as grpc.ServiceClientConstructor;
  const a1 = new Ctor('127.0.0.11:8500', grpc.credentials.createInsecure()) as unknown as grpc.Client & Record<string, Unary>;
  const a2 = new Ctor('127.0.0.12:8500', grpc.credentials.createInsecure()) as unknown as grpc.Client & Record<string, Unary>;
  const call = <T>(c: grpc.Client & Record<string, Unary>, method: string, req: unknown): Promise<T> =>
    new Promise((res, rej) => c[method]!(req, { deadline: Date.now() + 10_000 }, (err, r) => (err ? rej(err) : res(r as T))));

  beforeAll(async () => {
    cluster(dir, 'start', '--servers', '3', '--clients', '2');
    app = createServer((_req, res) => res.writeHead(healthy ? 200 : 500).end(healthy ? 'ok' : 'broken'));
    await new Promise<void>((r) => app.listen(0, '127.0.0.1', () => r()));
    port = (app.address() as { port: number }).port;
  }, 150_000);
  afterAll(() => {
    a1.close();
    a2.close();
    app?.close();
    try {
      cluster(dir, 'stop');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a failing check leaves the healthy set seen through the other agent within interval + 1 s; with all servers killed that agent answers from its cache, marked stale; restarted servers bring it up to date', async () => {
    await eventually('agent a1 synced with a server', async () => call(a1, 'RegisterService', { service: { name: 'e2e-web', port }, checks: [{ http: `http://127.0.0.1:${port}/`, intervalMs: 1000 }] }).then(() => true), 30_000);
    const seen: Answer[] = [];
    const stream = (a2 as unknown as { WatchInstances: (req: unknown) => grpc.ClientReadableStream<Answer> }).WatchInstances({ service: 'e2e-web' });
    stream.on('data', (a: Answer) => seen.push(a));
    stream.on('error', () => undefined);
    const last = (): Answer | undefined => seen[seen.length - 1];
    try {
      await eventually('healthy through a2', async () => (last()?.instances.map((i) => `${i.node}/${i.id}`).join() === 'a1/e2e-web' ? true : undefined), 30_000);
      healthy = false;
      const t0 = Date.now();
      await eventually('gone from the healthy set', async () => (last()?.instances.length === 0 ? true : undefined), 10_000, 20);
      const took = Date.now() - t0;
      console.log(`through scripts/cluster.sh: the other agent's watcher saw the failing check after ${took} ms (interval 1000 ms)`);
      expect(took).toBeLessThan(2000);
      healthy = true;
      await eventually('healthy again', async () => (last()?.instances.length === 1 ? true : undefined), 10_000);
      // kill -9 every server (the PIDs this test's cluster.sh wrote).
      for (const n of ['n1', 'n2', 'n3']) process.kill(Number(readFileSync(join(dir, n, 'pid'), 'utf8')), 'SIGKILL');
      const cached = await eventually('answered from the cache, stale', async () => {
        const a = await call<Answer>(a2, 'Instances', { service: 'e2e-web' });
        return a.stale ? a : undefined;
      }, 20_000);
      expect(cached.instances.map((i) => `${i.node}/${i.id}:${i.status}`)).toEqual(['a1/e2e-web:passing']);
      cluster(dir, 'start');
      await eventually('up to date again', async () => ((await call<Answer>(a2, 'Instances', { service: 'e2e-web' })).stale ? undefined : true), 30_000);
      healthy = false;
      await eventually('follows changes after the outage', async () => ((await call<Answer>(a2, 'Instances', { service: 'e2e-web' })).instances.length === 0 ? true : undefined), 15_000);
    } finally {
      stream.cancel();
    }
  }, 120_000);
});
