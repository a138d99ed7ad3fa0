import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { etcdProto } from '../../src/proto/etcd-proto.js';
import { eventually, freePort, TestCluster, enc, type ServerProc } from './cluster-harness.js';

/** A response larger than this is refused (the server runs with --max-response-bytes at it). */
const RESPONSE_BUDGET = 100_000;
const WATCH_CAP = 3;

/** A txn that puts `key`, nested `depth` levels deep (1: not nested). */
function nestedTxn(depth: number, key: string): unknown {
  let t: unknown = { success: [{ requestPut: { key: enc(key), value: enc('v') } }] };
  for (let i = 1; i < depth; i++) t = { success: [{ requestTxn: t }] };
  return t;
}

interface Refusal {
  readonly name: string;
  readonly method: string;
  readonly request: unknown;
  readonly code: grpc.status;
  readonly message: string;
  /** Decided when applied, as etcd decides it (the store's revision then is what counts). */
  readonly throughTheLog?: true;
}

/**
 * Every wrong input the bad-input probe found, with the exact status and message it gets now.
 * None may be applied, answered INTERNAL or UNKNOWN, or make the server build an unbounded answer.
 */
const REFUSALS: readonly Refusal[] = [
  { name: 'a txn nested 33 deep', method: 'Txn', request: nestedTxn(33, 'deep33'), code: grpc.status.INVALID_ARGUMENT, message: 'etcdserver: txn nested too deeply (at most 32 levels)' },
  { name: 'a txn nested 49 deep', method: 'Txn', request: nestedTxn(49, 'deep49'), code: grpc.status.INVALID_ARGUMENT, message: 'etcdserver: txn nested too deeply (at most 32 levels)' },
  { name: 'compact at 2^63-1', method: 'Compact', request: { revision: '9223372036854775807' }, code: grpc.status.OUT_OF_RANGE, message: 'etcdserver: mvcc: required revision is a future revision' },
  { name: 'compact just past the store', method: 'Compact', request: { revision: '1000000' }, code: grpc.status.OUT_OF_RANGE, message: 'etcdserver: mvcc: required revision is a future revision', throughTheLog: true },
  { name: 'an unknown compare target', method: 'Txn', request: { compare: [{ key: enc('k'), target: 7, result: 'EQUAL' }] }, code: grpc.status.INVALID_ARGUMENT, message: 'etcdserver: unknown compare target or result' },
  { name: 'an unknown compare result', method: 'Txn', request: { compare: [{ key: enc('k'), target: 'VERSION', result: 9 }] }, code: grpc.status.INVALID_ARGUMENT, message: 'etcdserver: unknown compare target or result' },
  {
    name: 'a range answer over the response budget',
    method: 'Range',
    request: { key: enc('big/'), rangeEnd: enc('big0') },
    code: grpc.status.RESOURCE_EXHAUSTED,
    message: 'etcdserver: response is too large: narrow the range, or set a limit, keys_only or count_only',
  },
  {
    name: 'a 3 KB read-only txn of 128 ranges over the large values',
    method: 'Txn',
    request: { success: Array.from({ length: 128 }, () => ({ requestRange: { key: enc('big/'), rangeEnd: enc('big0') } })) },
    code: grpc.status.RESOURCE_EXHAUSTED,
    message: 'etcdserver: response is too large: narrow the range, or set a limit, keys_only or count_only',
  },
  {
    name: 'a read-only txn whose ranges together pass the budget',
    method: 'Txn',
    request: { success: [0, 1, 2, 3].map((i) => ({ requestRange: { key: enc(`big/${i}`) } })) },
    code: grpc.status.RESOURCE_EXHAUSTED,
    message: 'etcdserver: response is too large: narrow the range, or set a limit, keys_only or count_only',
  },
];

describe('every input bounded: refusals with their exact status', () => {
  let c: TestCluster;
  let s: ServerProc;
  let http: string;
  beforeAll(async () => {
    http = `127.0.0.246:${await freePort('127.0.0.246')}`;
    c = await TestCluster.start({
      servers: 1,
      hostBase: 245,
      extraArgs: ['--max-response-bytes', String(RESPONSE_BUDGET), '--max-watches-per-stream', String(WATCH_CAP), '--idle-connection-ms', '1000', '--http-addr', http],
    });
    s = c.servers[0]!;
    // Four 30 KB values: any two fit the budget, all four do not.
    for (let i = 0; i < 4; i++) await c.call(s, 'KV', 'Put', { key: enc(`big/${i}`), value: Buffer.alloc(30_000, 65 + i) });
  });
  afterAll(async () => {
    await c?.destroy();
  });

  for (const r of REFUSALS) {
    it(`refuses ${r.name}: ${grpc.status[r.code]}`, async () => {
      const before = await c.status(s);
      await expect(c.call(s, 'KV', r.method, r.request)).rejects.toMatchObject({ code: r.code, details: r.message });
      // Nothing was proposed: the log did not move.
      if (r.throughTheLog === undefined) expect((await c.status(s)).index).toBe(before.index);
    });
  }

  it('serves what fits: a txn nested 32 deep is applied and answered; a large range with a limit, keys only or a count', async () => {
    const res = await c.call<{ succeeded: boolean }>(s, 'KV', 'Txn', nestedTxn(32, 'deep32'));
    expect(res.succeeded).toBe(true);
    const got = await c.call<{ kvs: unknown[] }>(s, 'KV', 'Range', { key: enc('deep32') });
    expect(got.kvs).toHaveLength(1);
    for (const opt of [{ limit: '2' }, { keysOnly: true }, { countOnly: true }]) {
      const r = await c.call<{ count: string; kvs: unknown[] }>(s, 'KV', 'Range', { key: enc('big/'), rangeEnd: enc('big0'), ...opt });
      expect(r.count).toBe('4');
    }
  });

  it('answers a read-only txn without a log entry, and a linearizable one after the barrier', async () => {
    const before = await c.status(s);
    const res = await c.call<{ succeeded: boolean; responses: { responseRange: { count: string } }[] }>(s, 'KV', 'Txn', {
      compare: [{ key: enc('big/0'), target: 'VERSION', result: 'EQUAL', version: '1' }],
      success: [{ requestRange: { key: enc('big/'), rangeEnd: enc('big0'), countOnly: true } }, { requestRange: { key: enc('big/1'), serializable: true } }],
    });
    expect(res.succeeded).toBe(true);
    expect(res.responses.map((r) => r.responseRange.count)).toEqual(['4', '1']);
    expect((await c.status(s)).index).toBe(before.index);
  });

  it('refuses a watch beyond --max-watches-per-stream with the reason; the stream and its other watches go on', async () => {
    const Ctor = etcdProto().etcdserverpb.Watch as unknown as grpc.ServiceClientConstructor;
    const client = new Ctor(s.clientAddr, grpc.credentials.createInsecure());
    const call = (client as unknown as { Watch: () => grpc.ClientDuplexStream<unknown, { watchId: string; created: boolean; canceled: boolean; cancelReason: string; events: unknown[] }> }).Watch();
    const got: { watchId: string; created: boolean; canceled: boolean; cancelReason: string; events: unknown[] }[] = [];
    call.on('data', (m: (typeof got)[number]) => got.push(m));
    call.on('error', () => {});
    try {
      for (let i = 1; i <= WATCH_CAP + 1; i++) call.write({ createRequest: { key: enc('w'), watchId: String(i) } });
      const refused = await eventually('the refusal', async () => got.find((m) => m.canceled));
      expect(refused.cancelReason).toBe(`etcdserver: too many watches on this stream (${WATCH_CAP}, the most --max-watches-per-stream allows): open another stream`);
      await c.call(s, 'KV', 'Put', { key: enc('w'), value: enc('x') });
      const delivered = await eventually('the events', async () => {
        const ids = got.filter((m) => m.events.length > 0).map((m) => m.watchId);
        return ids.length === WATCH_CAP ? ids : undefined;
      });
      expect(delivered.sort()).toEqual(['1', '2', '3']);
    } finally {
      call.cancel();
      client.close();
    }
  });

  it('counts each refusal by its limit in roster_api_limit_refusals_total', async () => {
    const text = await (await fetch(`http://${http}/metrics`)).text();
    const count = (limit: string): number => Number(text.split('\n').find((l) => l.startsWith(`roster_api_limit_refusals_total{limit="${limit}"} `))?.split(' ')[1] ?? 0);
    expect(count('max-response-bytes')).toBe(3);
    expect(count('max-watches-per-stream')).toBe(1);
  });

  it('closes a client connection idle for --idle-connection-ms; the client reconnects on its next call', async () => {
    const Ctor = etcdProto().etcdserverpb.Maintenance as unknown as grpc.ServiceClientConstructor;
    const client = new Ctor(s.clientAddr, grpc.credentials.createInsecure());
    try {
      const status = (): Promise<unknown> => new Promise((res, rej) => (client as unknown as Record<string, (r: unknown, o: grpc.CallOptions, cb: (e: Error | null, v: unknown) => void) => void>).Status!({}, { deadline: Date.now() + 3000 }, (e, v) => (e ? rej(e) : res(v))));
      await status();
      expect(client.getChannel().getConnectivityState(false)).toBe(grpc.connectivityState.READY);
      await eventually('the server to close the idle connection', async () => (client.getChannel().getConnectivityState(false) === grpc.connectivityState.READY ? undefined : true), 10_000);
      await status();
    } finally {
      client.close();
    }
  });
});
