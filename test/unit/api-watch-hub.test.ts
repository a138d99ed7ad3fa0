import { describe, expect, it } from 'vitest';
import { WatchHub, type HubEvent, type WatchSubscriber } from '../../src/api/watch/watch-hub.js';
import { MemoryOrderedKv } from '../../src/store/kv/memory-kv.js';
import { MvccStore } from '../../src/store/kv/mvcc-store.js';
import { NAMESPACE, namespaceEnd, nsKey } from '../../src/store/kv/namespace.js';
import { deleteRangeRequest, putRequest } from '../../src/store/kv/requests.js';
import type { RosterError } from '../../src/util/errors.js';
import { silentLogger } from '../../src/util/logger.js';
import { seededRng } from '../../src/util/rng.js';

const enc = new TextEncoder();
const dec = new TextDecoder();
const k = (s: string): Uint8Array => nsKey(NAMESPACE.kv, enc.encode(s));

/** A subscriber that records what it was given. */
class Recorder implements WatchSubscriber {
  readonly got: { rev: number; type: string; key: string; value: string; prev: string | undefined }[] = [];
  throughs: number[] = [];
  failed: RosterError | undefined;
  constructor(
    readonly ranges: WatchSubscriber['ranges'],
    readonly wantsPrev = false,
  ) {}
  deliver(events: readonly HubEvent[], through: number): void {
    for (const e of events) {
      this.got.push({
        rev: e.revision,
        type: e.event.type,
        key: dec.decode(e.event.kv.key.subarray(1)),
        value: dec.decode(e.event.kv.value),
        prev: this.wantsPrev ? (e.prevValue === undefined ? undefined : dec.decode(e.prevValue.value)) : undefined,
      });
    }
    this.throughs.push(through);
  }
  fail(err: RosterError): void {
    this.failed = err;
  }
}

class Fixture {
  index = 0;
  private constructor(
    readonly store: MvccStore,
    readonly hub: WatchHub,
  ) {}
  static async create(): Promise<Fixture> {
    const store = await MvccStore.open(new MemoryOrderedKv());
    return new Fixture(store, new WatchHub(() => store, silentLogger));
  }
  async put(key: string, value: string): Promise<void> {
    await this.store.apply([{ index: ++this.index, command: { type: 'put', request: putRequest(enc.encode(key), enc.encode(value)) } }]);
    this.hub.kick();
  }
  async del(key: string): Promise<void> {
    await this.store.apply([{ index: ++this.index, command: { type: 'deleteRange', request: deleteRangeRequest(enc.encode(key)) } }]);
    this.hub.kick();
  }
  async compact(revision: number): Promise<void> {
    await this.store.apply([{ index: ++this.index, command: { type: 'compact', request: { revision } } }]);
    this.hub.kick();
  }
  /** Waits until the hub has delivered everything the store has to every subscriber. */
  async settle(): Promise<void> {
    for (let i = 0; i < 1000; i++) {
      await new Promise((r) => setImmediate(r));
      if (this.hub.revision === this.store.revision()) {
        await new Promise((r) => setImmediate(r));
        return;
      }
    }
    throw new Error('hub did not settle');
  }
}

const everything = [{ start: nsKey(NAMESPACE.kv, Uint8Array.of(0)), end: namespaceEnd(NAMESPACE.kv) }];

describe('WatchHub', () => {
  it('delivers new changes to a synced subscriber once, in order, only for its keys', async () => {
    const f = await Fixture.create();
    const one = new Recorder([{ start: k('a'), end: undefined }]);
    const prefix = new Recorder([{ start: k('b/'), end: k('b0') }]);
    f.hub.subscribe(one, f.hub.revision + 1);
    f.hub.subscribe(prefix, f.hub.revision + 1);
    await f.put('a', '1');
    await f.put('b/x', '2');
    await f.put('ab', 'not mine');
    await f.del('a');
    await f.settle();
    expect(one.got.map((e) => `${e.rev}:${e.type}:${e.key}`)).toEqual(['2:put:a', '5:delete:a']);
    expect(prefix.got.map((e) => `${e.rev}:${e.key}=${e.value}`)).toEqual(['3:b/x=2']);
  });

  it('wakes only the synced subscribers a change touches; many identical watchers are all served', async () => {
    const f = await Fixture.create();
    const same = Array.from({ length: 50 }, () => new Recorder([{ start: k('svc/a/'), end: k('svc/a0') }]));
    const exact = Array.from({ length: 50 }, () => new Recorder([{ start: k('cfg'), end: undefined }]));
    const other = new Recorder([{ start: k('svc/b/'), end: k('svc/b0') }]);
    for (const r of [...same, ...exact, other]) f.hub.subscribe(r, f.hub.revision + 1);
    await f.put('svc/a/1', 'x');
    await f.put('cfg', 'y');
    await f.settle();
    for (const r of same) expect(r.got.map((e) => `${e.rev}:${e.key}`)).toEqual(['2:svc/a/1']);
    for (const r of exact) expect(r.got.map((e) => `${e.rev}:${e.key}`)).toEqual(['3:cfg']);
    expect(other.throughs).toEqual([]); // never visited, yet current: it is synced at the hub's revision
    expect(f.hub.isSynced(other)).toBe(true);
    f.hub.unsubscribe(same[0]!);
    await f.put('svc/a/2', 'z');
    await f.settle();
    expect(same[0]!.got).toHaveLength(1);
    expect(same[1]!.got.map((e) => e.key)).toEqual(['svc/a/1', 'svc/a/2']);
  });

  it('replays history from an old revision, then joins the live stream without gap or duplicate', async () => {
    const f = await Fixture.create();
    for (let i = 0; i < 450; i++) await f.put(`k${i % 7}`, `v${i}`); // more than two catch-up pages
    const r = new Recorder(everything);
    f.hub.subscribe(r, 10);
    await f.put('live', 'x');
    await f.settle();
    const revs = r.got.map((e) => e.rev);
    expect(revs[0]).toBe(10);
    expect(revs).toEqual(Array.from({ length: revs.length }, (_, i) => 10 + i));
    expect(revs[revs.length - 1]).toBe(f.store.revision());
    expect(f.hub.isSynced(r)).toBe(true);
  });

  it('gives previous values when asked, read once however many subscribers want them', async () => {
    const f = await Fixture.create();
    await f.put('p', 'old');
    await f.settle();
    const a = new Recorder([{ start: k('p'), end: undefined }], true);
    const b = new Recorder([{ start: k('p'), end: undefined }], true);
    f.hub.subscribe(a, f.hub.revision + 1);
    f.hub.subscribe(b, f.hub.revision + 1);
    let reads = 0;
    const valueAt = f.store.valueAt.bind(f.store);
    f.store.valueAt = (key, rev) => {
      reads++;
      return valueAt(key, rev);
    };
    await f.put('p', 'new');
    await f.del('p');
    await f.put('p', 'reborn');
    await f.settle();
    expect(a.got.map((e) => `${e.type}:${e.value}<-${e.prev}`)).toEqual(['put:new<-old', 'delete:<-new', 'put:reborn<-undefined']);
    expect(b.got).toEqual(a.got);
    expect(reads).toBe(0); // the apply that wrote each change knew what it replaced
  });

  it('reads previous values from history, once per change, for changes no longer held in memory', async () => {
    const kv = new MemoryOrderedKv();
    const writer = await MvccStore.open(kv);
    let index = 0;
    for (const v of ['old', 'new', 'newer']) await writer.apply([{ index: ++index, command: { type: 'put', request: putRequest(enc.encode('p'), enc.encode(v)) } }]);
    // A restarted server: its store holds no recent events in memory.
    const store = await MvccStore.open(kv);
    let reads = 0;
    const valueAt = store.valueAt.bind(store);
    store.valueAt = (key, rev) => {
      reads++;
      return valueAt(key, rev);
    };
    const hub = new WatchHub(() => store, silentLogger);
    const a = new Recorder([{ start: k('p'), end: undefined }], true);
    const b = new Recorder([{ start: k('p'), end: undefined }], true);
    hub.subscribe(a, 2);
    hub.subscribe(b, 2);
    for (let i = 0; i < 100 && a.got.length < 3; i++) await new Promise((r) => setImmediate(r));
    expect(a.got.map((e) => `${e.value}<-${e.prev}`)).toEqual(['old<-undefined', 'new<-old', 'newer<-new']);
    expect(b.got).toEqual(a.got);
    expect(reads).toBe(2); // the creation has no previous value to read
  });

  it('ends a subscriber whose start revision was compacted, naming the compact revision', async () => {
    const f = await Fixture.create();
    for (let i = 0; i < 5; i++) await f.put('c', String(i));
    await f.compact(4);
    const r = new Recorder(everything);
    f.hub.subscribe(r, 2);
    await f.settle();
    expect(r.failed?.code).toBe('COMPACTED');
    expect(r.failed?.details.compactRevision).toBe(4);
    expect(r.got).toEqual([]);
    expect(f.hub.subscribers).toBe(0);
  });

  it('a future start revision waits for it', async () => {
    const f = await Fixture.create();
    const r = new Recorder(everything);
    f.hub.subscribe(r, 4);
    await f.put('a', '2');
    await f.put('a', '3');
    await f.put('a', '4');
    await f.put('a', '5');
    await f.settle();
    expect(r.got.map((e) => e.rev)).toEqual([4, 5]);
  });

  it('an unsubscribed subscriber gets nothing more', async () => {
    const f = await Fixture.create();
    const r = new Recorder(everything);
    f.hub.subscribe(r, f.hub.revision + 1);
    await f.put('a', '1');
    await f.settle();
    f.hub.unsubscribe(r);
    await f.put('a', '2');
    await f.settle();
    expect(r.got.map((e) => e.value)).toEqual(['1']);
  });

  it.each([1, 2, 3, 4, 5, 6, 7, 8])('seed %d: subscribers started at random revisions amid writes see exactly the history from their start', async (seed) => {
    const rng = seededRng(seed);
    const f = await Fixture.create();
    const history: { rev: number; key: string; type: string }[] = [];
    const subs: { r: Recorder; from: number; prefix: string }[] = [];
    for (let step = 0; step < 300; step++) {
      const x = rng.next();
      if (x < 0.7) {
        const key = `${'abc'[Math.floor(rng.next() * 3)]}${Math.floor(rng.next() * 5)}`;
        if (rng.next() < 0.8) await f.put(key, String(step));
        else await f.del(key);
        const last = (await f.store.allEvents(f.store.revision(), 1))[0];
        if (last !== undefined && last.revision === f.store.revision() && history[history.length - 1]?.rev !== last.revision) {
          for (const e of last.events) history.push({ rev: last.revision, key: dec.decode(e.kv.key.subarray(1)), type: e.type });
        }
      } else {
        const from = 1 + Math.floor(rng.next() * (f.store.revision() + 3));
        if (rng.next() < 0.3) {
          // One exact key (the key is its own "prefix": no other key starts with a 2-character key here).
          const key = `${'abc'[Math.floor(rng.next() * 3)]}${Math.floor(rng.next() * 5)}`;
          const r = new Recorder([{ start: k(key), end: undefined }]);
          subs.push({ r, from, prefix: key });
          f.hub.subscribe(r, from);
          continue;
        }
        const prefix = 'abc'[Math.floor(rng.next() * 3)]!;
        const r = new Recorder([{ start: k(prefix), end: k(String.fromCharCode(prefix.charCodeAt(0) + 1)) }]);
        subs.push({ r, from, prefix });
        f.hub.subscribe(r, from);
      }
      if (rng.next() < 0.3) await f.settle();
    }
    await f.settle();
    for (const { r, from, prefix } of subs) {
      const want = history.filter((h) => h.rev >= from && h.key.startsWith(prefix)).map((h) => `${h.rev}:${h.type}:${h.key}`);
      expect(r.got.map((e) => `${e.rev}:${e.type}:${e.key}`)).toEqual(want);
    }
  });
});
