import * as grpc from '@grpc/grpc-js';
import { createServer } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ServerForwarder } from '../../src/agent/local/server-forwarder.js';
import { etcdProto } from '../../src/proto/etcd-proto.js';
import { freePort } from '../integration/cluster-harness.js';

type Cb = (err: grpc.ServiceError | null, res?: unknown) => void;
type Call = { request: { key?: Buffer }; metadata: grpc.Metadata; sendMetadata(md: grpc.Metadata): void };

/** A stand-in for a server's etcd API: counts what reaches it; can fail writes after taking them. */
class FakeServer {
  puts = 0;
  ranges = 0;
  failWrites = false;
  failReads = false;
  lastStaleness: unknown;
  private server = new grpc.Server();
  addr = '';

  async start(): Promise<this> {
    const etcd = etcdProto().etcdserverpb;
    this.server.addService((etcd.KV as unknown as grpc.ServiceClientConstructor).service, {
      Put: (_call: Call, cb: Cb) => {
        this.puts++;
        if (this.failWrites) return cb(Object.assign(new Error('connection lost'), { code: grpc.status.UNAVAILABLE, details: 'connection lost', metadata: new grpc.Metadata() }));
        cb(null, { header: { revision: String(this.puts) } });
      },
      Range: (call: Call, cb: Cb) => {
        this.ranges++;
        this.lastStaleness = call.metadata.get('roster-max-staleness-ms')[0];
        if (this.failReads) return cb(Object.assign(new Error('etcdserver: no leader'), { code: grpc.status.UNAVAILABLE, details: 'etcdserver: no leader', metadata: new grpc.Metadata() }));
        const md = new grpc.Metadata();
        md.set('roster-served-by', this.addr);
        call.sendMetadata(md);
        cb(null, { kvs: [{ key: call.request.key, value: Buffer.from(`from ${this.addr}`) }], count: '1' });
      },
    });
    this.server.addService((etcd.Watch as unknown as grpc.ServiceClientConstructor).service, {
      Watch: (call: grpc.ServerDuplexStream<{ createRequest?: { key: Buffer } }, unknown>) => {
        call.on('data', (req: { createRequest?: { key: Buffer } }) => call.write({ watchId: '7', created: true, events: [{ type: 'PUT', kv: { key: req.createRequest?.key, value: Buffer.from('v') } }] }));
        call.on('end', () => call.end());
      },
    });
    const port = await freePort('127.0.0.1');
    this.addr = `127.0.0.1:${port}`;
    await new Promise<void>((res, rej) => this.server.bindAsync(this.addr, grpc.ServerCredentials.createInsecure(), (e) => (e ? rej(e) : res())));
    return this;
  }

  stop(): void {
    this.server.forceShutdown();
  }
}

type KvClient = grpc.Client & Record<string, (req: unknown, md: grpc.Metadata, opts: grpc.CallOptions, cb: Cb) => grpc.ClientUnaryCall>;

describe('the agent forwards the servers\' APIs: a write never goes to two servers', () => {
  let a: FakeServer;
  let b: FakeServer;
  let servers: string[] = [];
  let forwarder: ServerForwarder;
  let agent: grpc.Server;
  let kv: KvClient;
  let agentAddr = '';
  beforeAll(async () => {
    a = await new FakeServer().start();
    b = await new FakeServer().start();
    forwarder = new ServerForwarder(() => servers);
    agent = new grpc.Server();
    forwarder.addTo(agent);
    agentAddr = `127.0.0.1:${await freePort('127.0.0.1')}`;
    await new Promise<void>((res, rej) => agent.bindAsync(agentAddr, grpc.ServerCredentials.createInsecure(), (e) => (e ? rej(e) : res())));
    kv = new (etcdProto().etcdserverpb.KV as unknown as grpc.ServiceClientConstructor)(agentAddr, grpc.credentials.createInsecure()) as unknown as KvClient;
  });
  afterAll(() => {
    kv?.close();
    forwarder?.close();
    agent?.forceShutdown();
    a?.stop();
    b?.stop();
  });
  afterEach(() => {
    for (const s of [a, b]) {
      s.puts = 0;
      s.ranges = 0;
      s.failWrites = false;
      s.failReads = false;
    }
  });

  const call = (method: string, req: unknown, md = new grpc.Metadata()): Promise<{ res: unknown; headers: grpc.Metadata | undefined }> =>
    new Promise((resolve, reject) => {
      let headers: grpc.Metadata | undefined;
      const c = kv[method]!(req, md, { deadline: Date.now() + 10_000 }, (err, res) => (err ? reject(err) : resolve({ res, headers })));
      c.on('metadata', (h: grpc.Metadata) => (headers = h));
    });

  it('a server that cannot be reached is skipped: the write goes to the next one, once', async () => {
    const down = `127.0.0.1:${await freePort('127.0.0.1')}`; // nothing listens there
    servers = [down, a.addr];
    await call('Put', { key: Buffer.from('k'), value: Buffer.from('v') });
    expect([a.puts, b.puts]).toEqual([1, 0]);
  });

  it('a write that reached a server and failed is not sent to another: the application gets the failure', async () => {
    servers = [a.addr, b.addr];
    await call('Put', { key: Buffer.from('warm'), value: Buffer.from('v') }); // a answered last: it is tried first
    a.failWrites = true;
    await expect(call('Put', { key: Buffer.from('k'), value: Buffer.from('v') })).rejects.toMatchObject({ code: grpc.status.UNAVAILABLE, details: 'connection lost' });
    expect([a.puts, b.puts]).toEqual([2, 0]);
  });

  it('a read that failed is tried on the next server; metadata passes both ways', async () => {
    servers = [a.addr, b.addr];
    await call('Range', { key: Buffer.from('x') }); // a is preferred now
    a.failReads = true;
    const md = new grpc.Metadata();
    md.set('roster-max-staleness-ms', '250');
    const { res, headers } = await call('Range', { key: Buffer.from('k') }, md);
    expect((res as { kvs: { value: Buffer }[] }).kvs[0]!.value.toString()).toBe(`from ${b.addr}`);
    expect(headers?.get('roster-served-by')).toEqual([b.addr]);
    expect([a.ranges, b.ranges]).toEqual([2, 1]);
    expect(b.lastStaleness).toBe('250');
  });

  it('a write the application cancelled while the agent looked for a server is never sent', async () => {
    // A server that takes TCP connections and never answers: the agent waits its connect time there.
    const silent = createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    try {
      // (b answered last, so b would be tried first: a is the fallback here.)
      servers = [`127.0.0.1:${(silent.address() as { port: number }).port}`, a.addr];
      const cancelled = kv.Put!({ key: Buffer.from('c'), value: Buffer.from('v') }, new grpc.Metadata(), {}, () => undefined);
      setTimeout(() => cancelled.cancel(), 100);
      // A second write started after it reaches b after the same wait: had the first been sent,
      // it would have been sent before this one.
      await new Promise((r) => setTimeout(r, 150));
      await call('Put', { key: Buffer.from('d'), value: Buffer.from('v') });
      expect([a.puts, b.puts]).toEqual([1, 0]);
    } finally {
      silent.close();
    }
  });

  it('no server known: UNAVAILABLE with a clear message', async () => {
    servers = [];
    await expect(call('Range', { key: Buffer.from('k') })).rejects.toMatchObject({ code: grpc.status.UNAVAILABLE, details: 'no server known from gossip yet' });
  });

  it('a bidirectional stream (etcd Watch) is forwarded both ways', async () => {
    servers = [b.addr];
    const client = new (etcdProto().etcdserverpb.Watch as unknown as grpc.ServiceClientConstructor)(agentAddr, grpc.credentials.createInsecure()) as unknown as grpc.Client & { Watch(): grpc.ClientDuplexStream<unknown, { watchId: string; events: { kv: { key: Buffer } }[] }> };
    try {
      const stream = client.Watch();
      const first = new Promise<{ watchId: string; events: { kv: { key: Buffer } }[] }>((res, rej) => {
        stream.once('data', res);
        stream.once('error', rej);
      });
      stream.write({ createRequest: { key: Buffer.from('watched') } });
      const got = await first;
      expect(got.watchId).toBe('7');
      expect(got.events[0]!.kv.key.toString()).toBe('watched');
      stream.end();
      await new Promise<void>((res) => stream.on('status', () => res()).resume());
    } finally {
      client.close();
    }
  });
});
