import * as grpc from '@grpc/grpc-js';
import { Etcd3, type IKeyValue } from 'etcd3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { etcdProto } from '../../src/proto/etcd-proto.js';
import { dec, enc, eventually, TestCluster, type ServerProc } from './cluster-harness.js';

interface WatchRes {
  header: { revision: string };
  watchId: string;
  created: boolean;
  canceled: boolean;
  compactRevision: string;
  cancelReason: string;
  events: { type: string; kv: { key: Buffer; value: Buffer; modRevision: string }; prevKv: { value: Buffer } | null }[];
}

/** A raw etcd Watch stream, collecting every response. */
class RawWatch {
  readonly responses: WatchRes[] = [];
  readonly call: grpc.ClientDuplexStream<unknown, WatchRes>;
  private readonly client: grpc.Client;
  constructor(s: ServerProc) {
    const Ctor = etcdProto().etcdserverpb.Watch as unknown as grpc.ServiceClientConstructor;
    this.client = new Ctor(s.clientAddr, grpc.credentials.createInsecure());
    this.call = (this.client as unknown as { Watch: () => grpc.ClientDuplexStream<unknown, WatchRes> }).Watch();
    this.call.on('data', (r: WatchRes) => this.responses.push(r));
    this.call.on('error', () => undefined);
  }
  send(req: unknown): void {
    this.call.write(req);
  }
  async waitFor(what: string, pred: (r: WatchRes) => boolean): Promise<WatchRes> {
    return eventually(what, async () => this.responses.find(pred), 10_000, 20);
  }
  close(): void {
    this.call.cancel();
    this.client.close();
  }
}

describe("etcd's Watch on a 3-server cluster", () => {
  let c: TestCluster;
  let leader: ServerProc;
  let follower: ServerProc;
  beforeAll(async () => {
    c = await TestCluster.start({ servers: 3, hostBase: 50 });
    leader = await c.waitForLeader();
    follower = c.servers.find((s) => s !== leader)!;
  });
  afterAll(async () => {
    await c?.destroy();
  });

  it('the etcd3 client watches a prefix on a follower and sees every put and delete with the previous value', async () => {
    const client = new Etcd3({ hosts: follower.clientAddr });
    try {
      const seen: string[] = [];
      const w = await client.watch().prefix('app/').withPreviousKV().create();
      w.on('put', (kv: IKeyValue, prev?: IKeyValue) => seen.push(`put ${kv.key.toString()}=${kv.value.toString()} (was ${prev?.value.toString() ?? '-'})`));
      w.on('delete', (kv: IKeyValue, prev?: IKeyValue) => seen.push(`del ${kv.key.toString()} (was ${prev?.value.toString() ?? '-'})`));
      await c.call(leader, 'KV', 'Put', { key: enc('app/a'), value: enc('1') });
      await c.call(leader, 'KV', 'Put', { key: enc('other'), value: enc('x') });
      await c.call(follower, 'KV', 'Put', { key: enc('app/a'), value: enc('2') });
      await c.call(leader, 'KV', 'DeleteRange', { key: enc('app/a') });
      await eventually('three events', async () => (seen.length >= 3 ? true : undefined));
      expect(seen).toEqual(['put app/a=1 (was -)', 'put app/a=2 (was 1)', 'del app/a (was 2)']);
      await w.cancel();
    } finally {
      client.close();
    }
  });

  it('replays from a past start revision, serves many watches on one stream, cancels, and answers progress requests', async () => {
    const first = await c.call<{ header: { revision: string } }>(leader, 'KV', 'Put', { key: enc('r/0'), value: enc('0') });
    const from = Number(first.header.revision);
    for (let i = 1; i < 5; i++) await c.call(leader, 'KV', 'Put', { key: enc(`r/${i}`), value: enc(String(i)) });
    const w = new RawWatch(follower);
    try {
      w.send({ createRequest: { key: enc('r/'), rangeEnd: enc('r0'), startRevision: from, watchId: 1 } });
      for (let i = 0; i < 50; i++) w.send({ createRequest: { key: enc(`many/${i}`), watchId: 100 + i } });
      await w.waitFor('the replay', (r) => r.watchId === '1' && r.events.length > 0);
      const replayed = w.responses.filter((r) => r.watchId === '1').flatMap((r) => r.events.map((e) => dec(e.kv.key)));
      expect(replayed).toEqual(['r/0', 'r/1', 'r/2', 'r/3', 'r/4']);
      await w.waitFor('50 more created', () => w.responses.filter((r) => r.created && Number(r.watchId) >= 100).length === 50);
      for (let i = 0; i < 50; i += 7) await c.call(leader, 'KV', 'Put', { key: enc(`many/${i}`), value: enc('v') });
      await eventually('each watched key its event', async () => (w.responses.filter((r) => Number(r.watchId) >= 100 && r.events.length > 0).length === 8 ? true : undefined));
      for (const r of w.responses.filter((x) => Number(x.watchId) >= 100 && x.events.length > 0)) expect(dec(r.events[0]!.kv.key)).toBe(`many/${Number(r.watchId) - 100}`);
      w.send({ cancelRequest: { watchId: 1 } });
      await w.waitFor('the cancel', (r) => r.watchId === '1' && r.canceled);
      await c.call(leader, 'KV', 'Put', { key: enc('r/9'), value: enc('after cancel') });
      w.send({ progressRequest: {} });
      const progress = await w.waitFor('a progress response', (r) => r.watchId === '-1' && !r.created && !r.canceled);
      expect(Number(progress.header.revision)).toBeGreaterThan(from);
      expect(w.responses.filter((r) => r.watchId === '1').flatMap((r) => r.events.map((e) => dec(e.kv.key)))).not.toContain('r/9');
    } finally {
      w.close();
    }
  });

  it('a watch starting below the compact revision is canceled with the compact revision', async () => {
    const put = await c.call<{ header: { revision: string } }>(leader, 'KV', 'Put', { key: enc('cmp'), value: enc('1') });
    const rev = Number(put.header.revision);
    await c.call(leader, 'KV', 'Put', { key: enc('cmp'), value: enc('2') });
    await c.call(leader, 'KV', 'Compact', { revision: rev + 1 });
    const w = new RawWatch(follower);
    try {
      await eventually('the follower applied the compaction', async () => {
        const r = await c.call<{ kvs: unknown[] }>(follower, 'KV', 'Range', { key: enc('cmp'), revision: rev, serializable: true }).then(
          () => undefined,
          (err: { details?: string }) => (err.details?.includes('compacted') === true ? true : undefined),
        );
        return r;
      });
      w.send({ createRequest: { key: enc('cmp'), startRevision: rev - 1, watchId: 5 } });
      const canceled = await w.waitFor('the cancel', (r) => r.watchId === '5' && r.canceled);
      expect(Number(canceled.compactRevision)).toBe(rev + 1);
    } finally {
      w.close();
    }
  });
});
