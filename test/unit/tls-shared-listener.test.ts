import * as grpc from '@grpc/grpc-js';
import * as http from 'node:http';
import * as net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { etcdProto } from '../../src/proto/etcd-proto.js';
import { listenGrpcAndHttp, startsLikeHttp2 } from '../../src/tls/shared-listener.js';
import { silentLogger } from '../../src/util/logger.js';

describe('one port for gRPC and HTTP/1.1', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => {
    for (const c of cleanups.splice(0)) c();
  });

  async function serve(): Promise<number> {
    const server = new grpc.Server();
    const Maintenance = etcdProto().etcdserverpb.Maintenance;
    server.addService(Maintenance.service, { Status: (_call: unknown, cb: grpc.sendUnaryData<unknown>) => cb(null, { version: 'from-grpc' }) });
    const web = http.createServer((req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end(`from-http ${req.method} ${req.url}`));
    const l = await listenGrpcAndHttp(server, web, '127.0.0.1:0', undefined, silentLogger);
    cleanups.push(() => {
      l.close();
      server.forceShutdown();
    });
    return l.port;
  }

  it('answers a gRPC call and HTTP/1.1 requests on the same port, several on one connection', async () => {
    const port = await serve();
    const Maintenance = etcdProto().etcdserverpb.Maintenance;
    const client = new Maintenance(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    cleanups.push(() => client.close());
    const status = await new Promise<{ version: string }>((res, rej) => client.Status({}, { deadline: Date.now() + 5000 }, (err, r) => (err ? rej(err) : res(r as { version: string }))));
    expect(status.version).toBe('from-grpc');
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    cleanups.push(() => agent.destroy());
    const get = (path: string): Promise<string> =>
      new Promise((res, rej) => {
        http.get({ host: '127.0.0.1', port, path, agent }, (r) => {
          let body = '';
          r.on('data', (d: Buffer) => (body += d.toString()));
          r.on('end', () => res(body));
        }).on('error', rej);
      });
    expect(await get('/v1/status/leader')).toBe('from-http GET /v1/status/leader');
    expect(await get('/v1/agent/self')).toBe('from-http GET /v1/agent/self');
  });

  it('tells the protocols apart by the first bytes, even one byte at a time', async () => {
    expect(startsLikeHttp2(Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'))).toBe(true);
    expect(startsLikeHttp2(Buffer.from('PRI'))).toBe(true);
    expect(startsLikeHttp2(Buffer.from('GET / HTTP/1.1\r\n'))).toBe(false);
    expect(startsLikeHttp2(Buffer.from('PUT /v1/kv/x'))).toBe(false);
    const port = await serve();
    // An HTTP/1.1 request written in small pieces still reaches the HTTP server.
    const socket = net.connect(port, '127.0.0.1');
    cleanups.push(() => socket.destroy());
    let text = '';
    socket.on('data', (d: Buffer) => (text += d.toString()));
    await new Promise<void>((r) => socket.once('connect', () => r()));
    socket.write('GE');
    await new Promise((r) => setTimeout(r, 20));
    socket.write('T /x HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n');
    await new Promise<void>((r) => socket.once('end', () => r()));
    expect(text).toContain('from-http GET /x');
  });
});
