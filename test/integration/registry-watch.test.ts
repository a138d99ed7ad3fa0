import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registryProto } from '../../src/proto/registry-proto.js';
import { OperatorClient } from '../../src/client/operator-client.js';
import { eventually, TestCluster, type ServerProc } from './cluster-harness.js';

interface Item {
  instance?: { service: { id: string }; status: string };
}
interface Change {
  type: 'ADDED' | 'CHANGED' | 'REMOVED';
  revision: string;
  item: Item | null;
  previous: Item | null;
}
interface WatchRes {
  watchId: string;
  kind: 'SNAPSHOT' | 'CHANGES' | 'PROGRESS' | 'CANCELED';
  revision: string;
  changes: Change[];
  stale: boolean;
  cancelReason: string;
  compactRevision: string;
}

/** A registry Watch stream to one server. */
class RegistryWatch {
  readonly responses: WatchRes[] = [];
  private readonly client: grpc.Client;
  private readonly call: grpc.ClientDuplexStream<unknown, WatchRes>;
  ended = false;
  error: grpc.ServiceError | undefined;
  constructor(s: ServerProc) {
    const Ctor = registryProto().roster.registry.v1.Watch as unknown as grpc.ServiceClientConstructor;
    this.client = new Ctor(s.clientAddr, grpc.credentials.createInsecure());
    this.call = (this.client as unknown as { Watch: () => grpc.ClientDuplexStream<unknown, WatchRes> }).Watch();
    this.call.on('data', (r: WatchRes) => this.responses.push(r));
    this.call.on('error', (err: grpc.ServiceError) => {
      this.error = err;
      this.ended = true;
    });
    this.call.on('end', () => (this.ended = true));
  }
  /** Stops reading the stream (a client stuck elsewhere); resume() reads on. */
  pause(): void {
    this.call.pause();
  }
  resume(): void {
    this.call.resume();
  }
  create(req: Record<string, unknown>): void {
    this.call.write({ create: req });
  }
  of(id: number): WatchRes[] {
    return this.responses.filter((r) => r.watchId === String(id));
  }
  /** Every change of one watch after its snapshot, as "rev type id status". */
  changes(id: number): string[] {
    return this.of(id)
      .filter((r) => r.kind === 'CHANGES')
      .flatMap((r) => r.changes.map((c) => `${c.revision} ${c.type} ${(c.item ?? c.previous)?.instance?.service.id} ${c.item?.instance?.status ?? '-'}`));
  }
  lastRevision(id: number): number {
    const rs = this.of(id).filter((r) => r.kind !== 'CANCELED');
    return Number(rs[rs.length - 1]?.revision ?? 0);
  }
  close(): void {
    this.call.cancel();
    this.client.close();
  }
}

describe('registry watch streams on a 3-server cluster', () => {
  let c: TestCluster;
  beforeAll(async () => {
    // A small unread-bytes limit, so the slow-reader test needs only a few megabytes of changes.
    c = await TestCluster.start({ servers: 3, hostBase: 100, extraArgs: ['--watch-max-pending-kib', '256'] });
    await c.waitForLeader();
  });
  afterAll(async () => {
    await c?.destroy();
  });

  const register = (s: ServerProc, id: string, status: 'PASSING' | 'CRITICAL'): Promise<{ revision: string; changed: boolean }> =>
    c.rcall(s, 'Catalog', 'Register', {
      node: { name: `host-${id}`, address: '10.3.0.1' },
      service: { name: 'shop', id, port: 80 },
      checks: [{ id: `${id}-check`, name: 'http', status, type: 'http', serviceId: id }],
    });

  it('register -> discover -> health change -> the healthy-instances watch sees each delta', async () => {
    const leader = await c.waitForLeader();
    const [a, b] = c.servers.filter((s) => s !== leader);
    const w = new RegistryWatch(b!);
    try {
      w.create({ watchId: 1, service: { service: 'shop', passingOnly: true } });
      const snap = await eventually('the snapshot', async () => w.of(1).find((r) => r.kind === 'SNAPSHOT'));
      expect(snap.changes).toEqual([]);
      expect(snap.stale).toBe(false);
      const reg = await register(a!, 'shop-1', 'PASSING');
      const found = await c.rcall<{ instances: { service: { id: string }; status: string }[] }>(leader, 'Health', 'ServiceInstances', { service: 'shop', passingOnly: true });
      expect(found.instances.map((i) => `${i.service.id}:${i.status}`)).toEqual(['shop-1:PASSING']);
      await eventually('the ADDED delta', async () => (w.changes(1).length >= 1 ? true : undefined));
      expect(w.changes(1)).toEqual([`${reg.revision} ADDED shop-1 PASSING`]);
      const down = await register(a!, 'shop-1', 'CRITICAL');
      await eventually('the REMOVED delta', async () => (w.changes(1).length >= 2 ? true : undefined));
      expect(w.changes(1)[1]).toBe(`${down.revision} REMOVED shop-1 -`);
      const removed = w.of(1).flatMap((r) => r.changes).find((ch) => ch.type === 'REMOVED')!;
      expect(removed.previous?.instance?.status).toBe('PASSING'); // the previous value travels with the delta
      // Idle: a progress message says how fresh the stream is.
      w.create({ watchId: 2, services: {}, progressIntervalMs: 300 });
      const progress = await eventually('a progress message', async () => w.of(2).find((r) => r.kind === 'PROGRESS'));
      expect(Number(progress.revision)).toBeGreaterThanOrEqual(Number(down.revision));
    } finally {
      w.close();
    }
  });

  it('a watch resumed across kill -9 and restart of its server yields exactly the committed history, no gap, no duplicate', async () => {
    const leader = await c.waitForLeader();
    const followers = c.servers.filter((s) => s !== leader);
    const watched = followers[0]!;
    const writer = followers[1]!;
    const reference = new RegistryWatch(leader);
    const w = new RegistryWatch(watched);
    const acked: string[] = [];
    try {
      reference.create({ watchId: 7, service: { service: 'shop' } });
      w.create({ watchId: 7, service: { service: 'shop' } });
      const start = Number((await eventually('snapshot', async () => w.of(7).find((r) => r.kind === 'SNAPSHOT'))).revision);
      const refStart = Number((await eventually('ref snapshot', async () => reference.of(7).find((r) => r.kind === 'SNAPSHOT'))).revision);
      const write = async (i: number): Promise<void> => {
        const id = `r-${i % 5}`;
        if (i % 7 === 6) {
          const res = await c.rcall<{ revision: string; changed: boolean }>(writer, 'Catalog', 'Deregister', { node: `host-${id}`, serviceId: id });
          if (res.changed) acked.push(res.revision);
        } else {
          const res = await register(writer, id, i % 3 === 0 ? 'CRITICAL' : 'PASSING');
          if (res.changed) acked.push(res.revision);
        }
      };
      for (let i = 0; i < 20; i++) await write(i);
      await eventually('the watcher saw the first writes', async () => (w.lastRevision(7) >= Number(acked[acked.length - 1]) ? true : undefined));
      const resumeFrom = w.lastRevision(7);
      c.kill9(watched);
      for (let i = 20; i < 45; i++) await write(i);
      await c.launch(watched, 'new');
      const again = new RegistryWatch(watched);
      try {
        again.create({ watchId: 7, service: { service: 'shop' }, afterRevision: resumeFrom });
        for (let i = 45; i < 60; i++) await write(i);
        const last = Number(acked[acked.length - 1]);
        await eventually('the resumed watch caught up', async () => (again.lastRevision(7) >= last ? true : undefined), 15_000).catch((err: unknown) => {
          throw new Error(`${String(err)}; responses: ${JSON.stringify(again.responses.map((r) => [r.kind, r.revision, r.cancelReason, r.changes.length]))}`);
        });
        await eventually('the reference caught up', async () => (reference.lastRevision(7) >= last ? true : undefined));
        const resumed = [...w.changes(7), ...again.changes(7)];
        const expected = reference.changes(7).filter((ch) => Number(ch.split(' ')[0]) > Math.max(start, refStart));
        expect(resumed.filter((ch) => Number(ch.split(' ')[0]) > Math.max(start, refStart))).toEqual(expected);
        // And the history is the acknowledged writes, each once, in order.
        expect([...new Set(expected.map((ch) => ch.split(' ')[0]))]).toEqual(acked.filter((r) => Number(r) > Math.max(start, refStart)));
        expect(new Set(resumed).size).toBe(resumed.length);
        expect(again.of(7).some((r) => r.kind === 'CANCELED')).toBe(false);
      } finally {
        again.close();
      }
    } finally {
      w.close();
      reference.close();
    }
  });

  it('a server cut off from the leader says it is stale: watchers hear so, and a new watch gets no unconfirmed snapshot', async () => {
    const leader = await c.waitForLeader();
    const follower = c.servers.find((s) => s !== leader)!;
    await register(leader, 'stay-1', 'PASSING');
    const w = new RegistryWatch(follower);
    try {
      w.create({ watchId: 1, service: { service: 'shop' } });
      const snap = await eventually('snapshot', async () => w.of(1).find((r) => r.kind === 'SNAPSHOT'));
      expect(snap.changes.length).toBeGreaterThan(0);
      for (const s of c.servers) if (s !== follower) c.pause(s);
      try {
        const staleNote = await eventually('a stale progress message', async () => w.of(1).find((r) => r.kind === 'PROGRESS' && r.stale), 10_000);
        expect(Number(staleNote.revision)).toBeGreaterThanOrEqual(Number(snap.revision));
        // A new watch on the cut-off server: refused rather than answered from unconfirmed state...
        w.create({ watchId: 2, service: { service: 'shop' } });
        const refused = await eventually('the refusal', async () => w.of(2).find((r) => r.kind === 'CANCELED'), 15_000);
        expect(refused.cancelReason).toMatch(/^UNAVAILABLE/);
        // ...unless the client accepts a stale start, which it then gets, marked stale, with the instances it knows.
        w.create({ watchId: 3, service: { service: 'shop' }, allowStale: true });
        const stale = await eventually('a stale snapshot', async () => w.of(3).find((r) => r.kind === 'SNAPSHOT'));
        expect(stale.stale).toBe(true);
        expect(stale.changes.length).toBe(snap.changes.length);
      } finally {
        for (const s of c.servers) if (s !== follower) c.resume(s);
      }
      const fresh = await eventually('a fresh progress message again', async () => w.of(1).filter((r) => r.kind === 'PROGRESS').find((r, i, all) => !r.stale && all.slice(0, i).some((x) => x.stale)), 15_000);
      expect(fresh.stale).toBe(false);
    } finally {
      w.close();
    }
  });

  it("a server's Stats counts its watch streams, watchers and shared targets, and drops them when streams close", async () => {
    const s = c.servers[0]!;
    const op = new OperatorClient(s.clientAddr);
    const streams: RegistryWatch[] = [];
    try {
      const base = await op.stats();
      streams.push(new RegistryWatch(s), new RegistryWatch(s));
      expect(base.name).toBe(s.name);
      expect(base.rssBytes).toBeGreaterThan(base.heapUsedBytes);
      for (const [i, w] of streams.entries()) {
        w.create({ watchId: 1, service: { service: 'stats-a' }, allowStale: true });
        w.create({ watchId: 2, service: { service: `stats-only-${i}` }, allowStale: true });
      }
      for (const w of streams) await eventually('snapshots', async () => (w.of(1).some((r) => r.kind === 'SNAPSHOT') && w.of(2).some((r) => r.kind === 'SNAPSHOT') ? true : undefined));
      const busy = await op.stats();
      expect(busy.gauges['watch.registry_streams']).toBe(base.gauges['watch.registry_streams']! + 2);
      expect(busy.gauges['watch.watchers']).toBe(base.gauges['watch.watchers']! + 4);
      // Two streams watching stats-a share one target; each stats-only-N is its own.
      expect(busy.gauges['watch.registry_targets']).toBe(base.gauges['watch.registry_targets']! + 3);
      for (const w of streams) w.close();
      await eventually('the gauges back where they were', async () => {
        const after = await op.stats();
        return after.gauges['watch.watchers'] === base.gauges['watch.watchers'] && after.gauges['watch.registry_targets'] === base.gauges['watch.registry_targets'] ? true : undefined;
      });
    } finally {
      for (const w of streams) w.close();
      op.close();
    }
  });

  it('resuming after compacted history is refused with the compact revision; a client that stops reading is cut off with RESOURCE_EXHAUSTED', async () => {
    const leader = await c.waitForLeader();
    const s = c.servers.find((x) => x !== leader)!;
    await register(leader, 'compact-1', 'PASSING');
    const reg = await register(leader, 'compact-1', 'CRITICAL');
    // Compacting at R keeps R: a resume after 1 needs revision 2 on, which is gone.
    await c.call(leader, 'KV', 'Compact', { revision: Number(reg.revision) });
    const w = new RegistryWatch(s);
    const slow = new RegistryWatch(s);
    const op = new OperatorClient(s.clientAddr);
    try {
      // Until the follower has applied the compaction a resume from revision 1 is still served;
      // each try is a new watch on the same stream.
      let id = 0;
      const canceled = await eventually('the follower applied the compaction', async () => {
        w.create({ watchId: ++id, service: { service: 'shop' }, afterRevision: 1 });
        return w.responses.find((r) => r.kind === 'CANCELED' && Number(r.compactRevision) > 0);
      });
      expect(Number(canceled.compactRevision)).toBe(Number(reg.revision));
      expect(canceled.cancelReason).toMatch(/compacted/);
      slow.create({ watchId: 1, service: { service: 'bulk' } });
      await eventually('the snapshot', async () => slow.of(1).find((r) => r.kind === 'SNAPSHOT'));
      const streams = (await op.stats()).gauges['watch.registry_streams']!;
      slow.pause();
      const meta = Object.fromEntries(Array.from({ length: 63 }, (_, i) => [`k${i}`, 'v'.repeat(500)]));
      // Each change carries the instance and its previous value (~64 KB): a few hundred overflow
      // HTTP/2's windows and the 256 KiB limit, and the server must drop the stream, not buffer.
      let cutOff = false;
      for (let i = 0; i < 400 && !cutOff; i++) {
        await c.rcall(leader, 'Catalog', 'Register', { node: { name: 'bulk-host', address: '10.4.0.1' }, service: { name: 'bulk', id: 'bulk-1', port: 80, meta: { ...meta, seq: String(i) } } });
        if (i % 20 === 19) cutOff = (await op.stats()).gauges['watch.registry_streams']! < streams;
      }
      expect(cutOff).toBe(true);
      slow.resume();
      const err = await eventually('the status after the buffered changes', async () => slow.error);
      expect(err.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
      expect(err.details).toMatch(/watch stream cut off: the client reads too slowly/);
    } finally {
      w.close();
      slow.close();
      op.close();
    }
  });
});
