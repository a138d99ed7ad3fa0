import { ALLOW_ALL } from '../../src/api/access/access-rules.js';
import * as grpc from '@grpc/grpc-js';
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { etcdProto } from '../../src/proto/etcd-proto.js';
import { WatchService } from '../../src/api/etcd/watch-service.js';
import { WatchHub } from '../../src/api/watch/watch-hub.js';
import { MemoryOrderedKv } from '../../src/store/kv/memory-kv.js';
import { MvccStore } from '../../src/store/kv/mvcc-store.js';
import { putRequest } from '../../src/store/kv/requests.js';
import { silentLogger } from '../../src/util/logger.js';

const enc = new TextEncoder();
const decodeResponse = (etcdProto().etcdserverpb.Watch.service as grpc.ServiceDefinition).Watch!.responseDeserialize;

interface Decoded {
  watchId: string;
  created: boolean;
  canceled: boolean;
  fragment: boolean;
  events: { kv: { key: Buffer; value: Buffer } }[];
}

/** A server-side duplex call as grpc-js hands it to the service, recording writes. */
class FakeCall extends EventEmitter {
  readonly written: Buffer[] = [];
  readonly errors: grpc.ServiceError[] = [];
  cancelled = false;
  /** When false, writes never reach the network (a client that stopped reading). */
  flushes = true;
  write(buf: Buffer, cb: () => void): boolean {
    this.written.push(buf);
    if (this.flushes) setImmediate(cb);
    return true;
  }
  end(): void {}
  override emit(event: string | symbol, ...args: unknown[]): boolean {
    if (event === 'error') this.errors.push(args[0] as grpc.ServiceError);
    return super.emit(event, ...args);
  }
  responses(): Decoded[] {
    return this.written.map((b) => decodeResponse(b) as Decoded);
  }
}

async function setup(opts: { maxPendingBytes?: number; maxResponseBytes?: number; maxWatches?: number; onLimit?: (limit: string) => void } = {}): Promise<{ store: MvccStore; hub: WatchHub; svc: WatchService; put: (k: string, v: string) => Promise<void>; settle: () => Promise<void> }> {
  const store = await MvccStore.open(new MemoryOrderedKv());
  const hub = new WatchHub(() => store, silentLogger);
  const svc = new WatchService({
    hub,
    header: (revision) => ({ clusterId: '1', memberId: '2', revision, raftTerm: 1 }),
    maxResponseBytes: opts.maxResponseBytes ?? 1024 * 1024,
    maxPendingBytes: opts.maxPendingBytes ?? 1024 * 1024,
    progressEveryMs: 60_000,
    maxWatches: opts.maxWatches ?? 1000,
    onLimit: opts.onLimit ?? (() => {}),
    logger: silentLogger,
  });
  let index = 0;
  const settle = async (): Promise<void> => {
    for (let i = 0; i < 100 && hub.revision !== store.revision(); i++) await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
  };
  const put = async (k: string, v: string): Promise<void> => {
    await store.apply([{ index: ++index, command: { type: 'put', request: putRequest(enc.encode(k), enc.encode(v)) } }]);
    hub.kick();
    await settle();
  };
  return { store, hub, svc, put, settle };
}

describe("etcd's Watch service", () => {
  it('encodes a change once: every watcher of it gets the same bytes', async () => {
    const { svc, put } = await setup();
    const calls = [new FakeCall(), new FakeCall()];
    for (const call of calls) {
      svc.watch(call as never, ALLOW_ALL);
      call.emit('data', { createRequest: { key: Buffer.from('k'), rangeEnd: Buffer.alloc(0), startRevision: '0', watchId: '0', filters: [], prevKv: false, progressNotify: false, fragment: false } });
    }
    await put('k', 'v');
    const [a, b] = calls.map((c) => c.written[c.written.length - 1]!);
    expect(a!.equals(b!)).toBe(true);
    expect(calls[0]!.responses().at(-1)!.events.map((e) => e.kv.value.toString())).toEqual(['v']);
    svc.stop();
  });

  it('refuses a watch beyond --max-watches-per-stream with a reason, counts it, and keeps the others', async () => {
    const limits: string[] = [];
    const { svc, hub, put } = await setup({ maxWatches: 2, onLimit: (l) => limits.push(l) });
    const call = new FakeCall();
    svc.watch(call as never, ALLOW_ALL);
    for (const id of ['1', '2', '3']) {
      call.emit('data', { createRequest: { key: Buffer.from('w'), rangeEnd: Buffer.alloc(0), startRevision: '0', watchId: id, filters: [], prevKv: false, progressNotify: false, fragment: false } });
    }
    const refused = call.responses().find((r) => r.canceled) as (Decoded & { cancelReason: string }) | undefined;
    expect(refused?.created).toBe(true);
    expect(refused?.cancelReason).toBe('etcdserver: too many watches on this stream (2, the most --max-watches-per-stream allows): open another stream');
    expect(limits).toEqual(['max-watches-per-stream']);
    expect(hub.subscribers).toBe(2);
    await put('w', 'v');
    expect(call.responses().filter((r) => r.events.length === 1).map((r) => r.watchId)).toEqual(['1', '2']);
    svc.stop();
  });

  it('cuts off a stream whose client stops reading, with RESOURCE_EXHAUSTED, and unsubscribes it', async () => {
    const { svc, hub, put } = await setup({ maxPendingBytes: 4096 });
    const call = new FakeCall();
    call.flushes = false;
    svc.watch(call as never, ALLOW_ALL);
    call.emit('data', { createRequest: { key: Buffer.from('s'), rangeEnd: Buffer.alloc(0), startRevision: '0', watchId: '0', filters: [], prevKv: false, progressNotify: false, fragment: false } });
    for (let i = 0; i < 20 && call.errors.length === 0; i++) await put('s', 'x'.repeat(1000));
    expect(call.errors[0]?.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
    expect(call.errors[0]?.details).toMatch(/watch stream cut off: the client reads too slowly/);
    expect(hub.subscribers).toBe(0);
    expect(svc.openStreams).toBe(0);
    svc.stop();
  });

  it('splits a large batch into fragments for a watcher that asked, and only then', async () => {
    const { svc, store, hub, settle } = await setup({ maxResponseBytes: 2500 });
    const frag = new FakeCall();
    const whole = new FakeCall();
    for (const [call, fragment] of [
      [frag, true],
      [whole, false],
    ] as const) {
      svc.watch(call as never, ALLOW_ALL);
      call.emit('data', { createRequest: { key: Buffer.from('f/'), rangeEnd: Buffer.from('f0'), startRevision: '2', watchId: '0', filters: [], prevKv: false, progressNotify: false, fragment } });
    }
    // One txn of four 1 KB puts: one revision, one delivery.
    await store.apply([
      {
        index: 1,
        command: {
          type: 'txn',
          request: { compare: [], failure: [], success: [0, 1, 2, 3].map((i) => ({ type: 'put' as const, request: putRequest(enc.encode(`f/${i}`), new Uint8Array(1000)) })) },
        },
      },
    ]);
    hub.kick();
    await settle();
    const fr = frag.responses().filter((r) => r.events.length > 0);
    expect(fr.map((r) => [r.events.length, r.fragment])).toEqual([
      [2, true],
      [2, false],
    ]);
    expect(whole.responses().filter((r) => r.events.length > 0).map((r) => r.events.length)).toEqual([4]);
    svc.stop();
  });
});
