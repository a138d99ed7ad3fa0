import * as grpc from '@grpc/grpc-js';
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import protobuf from 'protobufjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../integration/cluster-harness.js';
import { CheckRunner } from '../../src/agent/checks/check-runner.js';
import { commandProbe } from '../../src/agent/checks/command-probe.js';
import { grpcProbe } from '../../src/agent/checks/grpc-probe.js';
import { httpProbe } from '../../src/agent/checks/http-probe.js';
import type { ProbeResult } from '../../src/agent/checks/probe.js';
import { tcpProbe } from '../../src/agent/checks/tcp-probe.js';


describe('HTTP check', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/ok') return res.writeHead(200).end('fine');
      if (req.url === '/busy') return res.writeHead(429).end('slow down');
      if (req.url === '/big') return res.writeHead(500).end('x'.repeat(10_000));
      if (req.url === '/hang') return; // never answers
      res.writeHead(503).end('down');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  it('2xx passing, 429 warning, anything else critical, with the status and body as output', async () => {
    expect(await httpProbe({ url: `${base}/ok` })(1000)).toEqual({ status: 'passing', output: `HTTP GET ${base}/ok: 200 OK Output: fine` });
    expect((await httpProbe({ url: `${base}/busy` })(1000)).status).toBe('warning');
    const down = await httpProbe({ url: `${base}/down` })(1000);
    expect(down.status).toBe('critical');
    expect(down.output).toContain('503');
  });

  it('a timeout or a refused connection is critical; output is kept to 4 KB', async () => {
    const hung = await httpProbe({ url: `${base}/hang` })(200);
    expect(hung).toEqual({ status: 'critical', output: `HTTP GET ${base}/hang: timed out after 200 ms` });
    const refused = await httpProbe({ url: `http://127.0.0.1:${await freePort('127.0.0.1')}/` })(1000);
    expect(refused.status).toBe('critical');
    expect(refused.output).toMatch(/ECONNREFUSED/);
    const big = await httpProbe({ url: `${base}/big` })(1000);
    expect(Buffer.byteLength(big.output)).toBeLessThanOrEqual(4096);
    expect(big.output).toMatch(/\(truncated\)$/);
  });
});

describe('TCP check', () => {
  it('passing when a connection opens, critical when refused', async () => {
    const s = createTcpServer((c) => c.end());
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
    const port = (s.address() as { port: number }).port;
    try {
      expect((await tcpProbe(`127.0.0.1:${port}`)(1000)).status).toBe('passing');
    } finally {
      s.close();
    }
    const closed = await tcpProbe(`127.0.0.1:${await freePort('127.0.0.1')}`)(1000);
    expect(closed.status).toBe('critical');
    expect(closed.output).toMatch(/ECONNREFUSED/);
  });
});

describe('gRPC health check (grpc.health.v1)', () => {
  it('SERVING is passing; NOT_SERVING and no server are critical', async () => {
    const statuses: Record<string, number> = { '': 1, billing: 2 };
    const server = new grpc.Server();
    server.addService(
      {
        Check: {
          path: '/grpc.health.v1.Health/Check',
          requestStream: false,
          responseStream: false,
          requestDeserialize: (b: Buffer) => {
            const r = protobuf.Reader.create(b);
            let name = '';
            while (r.pos < r.len) {
              const tag = r.uint32();
              if (tag >>> 3 === 1) name = r.string();
              else r.skipType(tag & 7);
            }
            return { service: name }; // an object: grpc-js takes a falsy request for a missing one
          },
          requestSerialize: (s: string) => Buffer.from(s),
          responseSerialize: (status: number) => Buffer.from(protobuf.Writer.create().uint32(1 << 3).int32(status).finish()),
          responseDeserialize: (b: Buffer) => b,
        },
      },
      { Check: (call: grpc.ServerUnaryCall<{ service: string }, number>, cb: grpc.sendUnaryData<number>) => cb(null, statuses[call.request.service] ?? 3) },
    );
    const port = await new Promise<number>((r, j) => server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? j(err) : r(p))));
    try {
      expect(await grpcProbe(`127.0.0.1:${port}`)(1000)).toEqual({ status: 'passing', output: `gRPC health 127.0.0.1:${port}: SERVING` });
      expect(await grpcProbe(`127.0.0.1:${port}`, 'billing')(1000)).toEqual({ status: 'critical', output: `gRPC health 127.0.0.1:${port}/billing: NOT_SERVING` });
    } finally {
      server.forceShutdown();
    }
    expect((await grpcProbe(`127.0.0.1:${await freePort('127.0.0.1')}`)(500)).status).toBe('critical');
  });
});

describe('command check', () => {
  it('exit 0 is passing, 1 warning, anything else critical; stdout and stderr are the output', async () => {
    expect(await commandProbe(['sh', '-c', 'echo all good'])(2000)).toEqual({ status: 'passing', output: 'command sh: exit 0\nall good\n' });
    expect((await commandProbe(['sh', '-c', 'echo degraded >&2; exit 1'])(2000)).status).toBe('warning');
    const r = await commandProbe(['sh', '-c', 'exit 3'])(2000);
    expect(r).toEqual({ status: 'critical', output: 'command sh: exit 3' });
  });

  it('a command that does not exist is critical, not a crash', async () => {
    const r = await commandProbe(['/nonexistent/roster-check'])(2000);
    expect(r.status).toBe('critical');
    expect(r.output).toMatch(/ENOENT/);
  });

  it('a run past its timeout is killed, with its children, and is critical; output is kept to 4 KB', async () => {
    const t0 = Date.now();
    const r = await commandProbe(['sh', '-c', 'sleep 30 & sleep 30'])(300);
    expect(r).toMatchObject({ status: 'critical', output: 'command sh: timed out after 300 ms' });
    expect(Date.now() - t0).toBeLessThan(5000);
    const big = await commandProbe(['sh', '-c', 'head -c 20000 /dev/zero | tr "\\0" x'])(5000);
    expect(Buffer.byteLength(big.output)).toBeLessThanOrEqual(4096);
    expect(big.output).toMatch(/truncated\)$/);
  });
});

describe('CheckRunner', () => {
  const runner = (results: ProbeResult['status'][], successBeforePassing: number, failuresBeforeCritical: number) => {
    const changes: string[] = [];
    let i = 0;
    const r = new CheckRunner(async () => ({ status: results[i++]!, output: `run ${i}` }), { intervalMs: 60_000, timeoutMs: 100, successBeforePassing, failuresBeforeCritical }, (res) => changes.push(`${res.status}@${res.output}`));
    return { r, changes, runs: async (n: number) => {
      for (let k = 0; k < n; k++) await r.run();
      r.stop();
    } };
  };

  it('reports only changes of status, starting from critical', async () => {
    const t = runner(['passing', 'passing', 'critical', 'critical', 'passing'], 0, 0);
    await t.runs(5);
    expect(t.changes).toEqual(['passing@run 1', 'critical@run 3', 'passing@run 5']);
  });

  it('flips only after the configured number of consecutive results', async () => {
    const t = runner(['passing', 'passing', 'critical', 'passing', 'critical', 'critical', 'critical'], 2, 3);
    await t.runs(7);
    expect(t.changes).toEqual(['passing@run 2', 'critical@run 7']);
    expect(t.r.status.status).toBe('critical');
  });
});
