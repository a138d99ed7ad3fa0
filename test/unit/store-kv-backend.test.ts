import { describe, expect, it } from 'vitest';
import { ReadWriteGate } from '../../src/store/kv/gate.js';
import { MemoryOrderedKv } from '../../src/store/kv/memory-kv.js';
import type { KvEntry, OrderedKvReader, ScanRange } from '../../src/store/kv/ordered-kv.js';
import { OverlayKv } from '../../src/store/kv/overlay-kv.js';
import { raw } from './store-kv-harness.js';

async function collect(kv: OrderedKvReader, range: ScanRange): Promise<string[]> {
  const out: string[] = [];
  for await (const e of kv.scan(range)) out.push(`${[...e.key].join('.')}=${[...e.value].join('.')}`);
  return out;
}

async function seeded(): Promise<MemoryOrderedKv> {
  const kv = new MemoryOrderedKv();
  await kv.write([
    { type: 'put', key: raw(3), value: raw(30) },
    { type: 'put', key: raw(1), value: raw(10) },
    { type: 'put', key: raw(1, 0), value: raw(100) },
    { type: 'put', key: raw(2), value: raw(20) },
    { type: 'put', key: raw(0xff), value: raw(255) },
  ]);
  return kv;
}

describe('MemoryOrderedKv', () => {
  it.each([
    { name: 'everything', range: { gte: raw(0), lt: raw(0xff, 0) }, want: ['1=10', '1.0=100', '2=20', '3=30', '255=255'] },
    { name: 'a half-open interval', range: { gte: raw(1, 0), lt: raw(3) }, want: ['1.0=100', '2=20'] },
    { name: 'reverse', range: { gte: raw(1), lt: raw(3), reverse: true }, want: ['2=20', '1.0=100', '1=10'] },
    { name: 'a limit', range: { gte: raw(0), lt: raw(0xff), limit: 2 }, want: ['1=10', '1.0=100'] },
    { name: 'reverse with a limit', range: { gte: raw(0), lt: raw(0xff, 0), reverse: true, limit: 2 }, want: ['255=255', '3=30'] },
    { name: 'an empty interval', range: { gte: raw(3), lt: raw(3) }, want: [] },
    { name: 'an inverted interval', range: { gte: raw(3), lt: raw(1) }, want: [] },
  ])('scans $name', async ({ range, want }) => {
    expect(await collect(await seeded(), range)).toEqual(want);
  });

  it('gets, overwrites and deletes in one write, copying the buffers', async () => {
    const kv = await seeded();
    const value = raw(11);
    await kv.write([
      { type: 'put', key: raw(1), value },
      { type: 'del', key: raw(2) },
      { type: 'del', key: raw(9) },
    ]);
    value[0] = 99;
    expect([...((await kv.get(raw(1))) ?? [])]).toEqual([11]);
    expect(await kv.get(raw(2))).toBeUndefined();
    expect(kv.size).toBe(4);
  });

  it('a scan is a snapshot taken when iteration starts', async () => {
    const kv = await seeded();
    const seen: string[] = [];
    for await (const e of kv.scan({ gte: raw(0), lt: raw(0xff) })) {
      seen.push([...e.key].join('.'));
      if (seen.length === 1) await kv.write([{ type: 'del', key: raw(2) }, { type: 'put', key: raw(1, 5), value: raw(0) }]);
    }
    expect(seen).toEqual(['1', '1.0', '2', '3']);
  });
});

describe('OverlayKv', () => {
  async function layered(): Promise<OverlayKv> {
    const overlay = new OverlayKv(await seeded());
    overlay.put(raw(2), raw(21)); // replaces
    overlay.del(raw(1, 0)); // hides
    overlay.put(raw(1, 5), raw(15)); // new, between backend keys
    overlay.put(raw(4), raw(40)); // new, after
    return overlay;
  }

  it.each([
    { name: 'forward', range: { gte: raw(0), lt: raw(0xff) }, want: ['1=10', '1.5=15', '2=21', '3=30', '4=40'] },
    { name: 'reverse', range: { gte: raw(0), lt: raw(0xff, 0), reverse: true }, want: ['255=255', '4=40', '3=30', '2=21', '1.5=15', '1=10'] },
    { name: 'limit across hidden entries', range: { gte: raw(1), lt: raw(0xff), limit: 3 }, want: ['1=10', '1.5=15', '2=21'] },
    { name: 'reverse limit', range: { gte: raw(0), lt: raw(3), reverse: true, limit: 2 }, want: ['2=21', '1.5=15'] },
    { name: 'a range with no pending writes', range: { gte: raw(3), lt: raw(4) }, want: ['3=30'] },
  ])('merges pending writes over the backend: $name', async ({ range, want }) => {
    expect(await collect(await layered(), range)).toEqual(want);
  });

  it('reads its own writes and lists them as ops in key order', async () => {
    const overlay = await layered();
    expect([...((await overlay.get(raw(2))) ?? [])]).toEqual([21]);
    expect(await overlay.get(raw(1, 0))).toBeUndefined();
    expect([...((await overlay.get(raw(3))) ?? [])]).toEqual([30]);
    expect(overlay.ops().map((o) => `${o.type}:${[...o.key].join('.')}`)).toEqual(['del:1.0', 'put:1.5', 'put:2', 'put:4']);
  });

  it('rollback undoes everything since begin, and nothing before', async () => {
    const overlay = await layered();
    overlay.begin();
    overlay.put(raw(2), raw(22));
    overlay.put(raw(7), raw(70));
    overlay.del(raw(3));
    overlay.put(raw(7), raw(71));
    expect(await collect(overlay, { gte: raw(0), lt: raw(0xff) })).toEqual(['1=10', '1.5=15', '2=22', '4=40', '7=71']);
    overlay.rollback();
    expect(await collect(overlay, { gte: raw(0), lt: raw(0xff) })).toEqual(['1=10', '1.5=15', '2=21', '3=30', '4=40']);
    expect(overlay.ops()).toHaveLength(4);
    // A key removed by the rollback can come back without appearing twice.
    overlay.begin();
    overlay.put(raw(7), raw(72));
    overlay.commit();
    expect(overlay.ops().filter((o) => o.key[0] === 7)).toHaveLength(1);
  });

  it('a scan is a snapshot: writing while consuming it does not disturb it', async () => {
    const overlay = await layered();
    const seen: string[] = [];
    for await (const e of overlay.scan({ gte: raw(0), lt: raw(0xff) })) {
      seen.push([...e.key].join('.'));
      overlay.del(e.key);
      overlay.put(raw(3, 1), raw(0));
    }
    expect(seen).toEqual(['1', '1.5', '2', '3', '4']);
    expect(await collect(overlay, { gte: raw(0), lt: raw(0xff) })).toEqual(['3.1=0']);
  });

  it('stops the backend iteration when the consumer stops', async () => {
    let closed = false;
    const base: OrderedKvReader = {
      get: () => Promise.resolve(undefined),
      async *scan(): AsyncIterable<KvEntry> {
        try {
          for (let i = 0; i < 100; i++) yield { key: raw(i * 2), value: raw(0) };
        } finally {
          closed = true;
        }
      },
    };
    const overlay = new OverlayKv(base);
    overlay.put(raw(3), raw(1));
    for await (const e of overlay.scan({ gte: raw(0), lt: raw(0xff) })) if (e.key[0] === 3) break;
    expect(closed).toBe(true);
  });

  it('keeps backend reads for the rest of its batch, up to 8 MiB of them, and pending writes always win', async () => {
    const base = new MemoryOrderedKv();
    await base.write([1, 2, 3, 4].map((i) => ({ type: 'put' as const, key: raw(i), value: new Uint8Array(3 << 20).fill(i) })));
    let gets = 0;
    const counted: OrderedKvReader = { get: (k) => (gets++, base.get(k)), scan: (r) => base.scan(r) };
    const overlay = new OverlayKv(counted);
    for (let round = 0; round < 2; round++) for (const i of [1, 2, 3]) expect((await overlay.get(raw(i)))![0]).toBe(i);
    // 1 and 2 (6 MiB) are kept; 3 would pass 8 MiB, so it is read each time.
    expect(gets).toBe(4);
    overlay.del(raw(1));
    expect(await overlay.get(raw(1))).toBeUndefined();
    overlay.put(raw(2), raw(9));
    expect(await overlay.get(raw(2))).toEqual(raw(9));
  });
});

describe('ReadWriteGate', () => {
  function deferred(): { promise: Promise<void>; resolve: () => void } {
    let resolve!: () => void;
    const promise = new Promise<void>((r) => (resolve = r));
    return { promise, resolve };
  }

  it('runs readers together, a writer alone, and a waiting writer before later readers', async () => {
    const gate = new ReadWriteGate();
    const log: string[] = [];
    const r1 = deferred();
    const w = deferred();
    const p1 = gate.read(async () => {
      log.push('r1 start');
      await r1.promise;
      log.push('r1 end');
    });
    const p2 = gate.read(async () => void log.push('r2'));
    const pw = gate.write(async () => {
      log.push('w start');
      await w.promise;
      log.push('w end');
    });
    const p3 = gate.read(async () => void log.push('r3'));
    await p2;
    expect(log).toEqual(['r1 start', 'r2']);
    r1.resolve();
    await p1;
    await Promise.resolve();
    expect(log).toEqual(['r1 start', 'r2', 'r1 end', 'w start']);
    w.resolve();
    await Promise.all([pw, p3]);
    expect(log).toEqual(['r1 start', 'r2', 'r1 end', 'w start', 'w end', 'r3']);
  });

  it('releases the gate when the guarded function throws', async () => {
    const gate = new ReadWriteGate();
    await expect(gate.write(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(gate.read(() => Promise.resolve(5))).resolves.toBe(5);
  });
});
