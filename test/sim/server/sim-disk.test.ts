import { describe, expect, it } from 'vitest';
import { seededRng } from '../../../src/util/rng.js';
import { EventQueue } from '../event-queue.js';
import { SimDisk, type DiskProfile } from './sim-disk.js';

const CALM: DiskProfile = { minMs: 1, maxMs: 1, spikeRate: 0, spikeMaxMs: 1000, eioRate: 0 };
const key = (n: number): Uint8Array => Uint8Array.of(0x65, n);
const val = (n: number): Uint8Array => Uint8Array.of(n);

/** A disk on a little event loop of its own; `run()` delivers every pending completion. */
function rig(profile: DiskProfile = CALM, seed = 1) {
  const events = new EventQueue<() => void>();
  const host = {
    now: 0,
    faultsEndAt: 1_000_000,
    after: (ms: number, fn: () => void) => events.push(host.now + ms, fn),
  };
  const disk = new SimDisk(host, seededRng(seed), profile);
  const run = async (): Promise<void> => {
    for (let ev = events.pop(); ev !== undefined; ev = events.pop()) {
      host.now = ev.at;
      ev.event();
      await new Promise((r) => setImmediate(r));
    }
  };
  return { disk, host, run };
}

async function visible(disk: SimDisk): Promise<number[]> {
  const db = await disk.open();
  const out: number[] = [];
  for await (const [, v] of db.iterator({})) out.push(v[0]!);
  return out;
}

describe('the simulated disk under the raft log', () => {
  it('keeps unsynced writes through kill -9, and loses them (all but a prefix) in a power loss', async () => {
    for (const powerLoss of [false, true]) {
      const { disk, run } = rig();
      const db = await disk.open();
      const synced = db.batch([{ type: 'put', key: key(1), value: val(1) }], { sync: true });
      await run();
      await synced;
      const w2 = db.batch([{ type: 'put', key: key(2), value: val(2) }], { sync: false });
      const w3 = db.batch([{ type: 'put', key: key(3), value: val(3) }], { sync: false });
      await run();
      await Promise.all([w2, w3]);
      expect(disk.durableValue(key(1))).toEqual(val(1));
      expect(disk.durableValue(key(2))).toBeUndefined();
      disk.crash(powerLoss);
      const after = await visible(disk);
      if (!powerLoss) expect(after).toEqual([1, 2, 3]); // the page cache survives the process
      else expect([[1], [1, 2], [1, 2, 3]]).toContainEqual(after); // what was synced, and a prefix of the rest
    }
  });

  it('makes what a reopened database shows durable (LevelDB syncs what its recovery read)', async () => {
    const { disk, run } = rig();
    const db = await disk.open();
    void db.batch([{ type: 'put', key: key(1), value: val(1) }], { sync: false });
    await run();
    disk.crash(false);
    await disk.open();
    disk.crash(true);
    expect(await visible(disk)).toEqual([1]);
  });

  it('makes earlier unsynced writes durable with the next synced one (one log, fsynced in order)', async () => {
    const { disk, run } = rig();
    const db = await disk.open();
    void db.batch([{ type: 'put', key: key(1), value: val(1) }], { sync: false });
    void db.batch([{ type: 'put', key: key(2), value: val(2) }], { sync: true });
    await run();
    disk.crash(true);
    expect(await visible(disk)).toEqual([1, 2]);
  });

  it('fails a write with ENOSPC while full and with EIO at its rate, leaving nothing of it', async () => {
    const { disk, run, host } = rig({ ...CALM, eioRate: 1 });
    const db = await disk.open();
    const eio = db.batch([{ type: 'put', key: key(1), value: val(1) }], { sync: true }).catch((e: { code?: string }) => e.code);
    await run();
    expect(await eio).toBe('EIO');
    const full = rig();
    full.disk.fillFor(100);
    const fdb = await full.disk.open();
    const enospc = fdb.batch([{ type: 'put', key: key(1), value: val(1) }], { sync: true }).catch((e: { code?: string }) => e.code);
    await full.run();
    expect(await enospc).toBe('ENOSPC');
    expect(await visible(disk)).toEqual([]);
    expect(await visible(full.disk)).toEqual([]);
    expect(host.now).toBeGreaterThan(0);
  });

  it('never completes a dead process\'s write, and refuses its old handle', async () => {
    const { disk, run } = rig();
    const db = await disk.open();
    let settled = false;
    void db.batch([{ type: 'put', key: key(1), value: val(1) }], { sync: true }).finally(() => (settled = true));
    disk.crash(true);
    await run();
    expect(settled).toBe(false);
    expect(() => db.get(key(1))).toThrow(/not open/);
  });

  it('scans as a LevelDB iterator does (from, before, reverse, limit), from a snapshot taken at the start', async () => {
    const { disk, run } = rig();
    const db = await disk.open();
    const w = db.batch([1, 2, 3, 4, 5].map((n) => ({ type: 'put' as const, key: key(n), value: val(n) })), { sync: false });
    await run();
    await w;
    const scan = async (range: Parameters<typeof db.scan>[0]): Promise<number[]> => {
      const out: number[] = [];
      for await (const [, v] of db.scan(range)) out.push(v[0]!);
      return out;
    };
    expect(await scan({ gte: key(2), lt: key(5) })).toEqual([2, 3, 4]);
    expect(await scan({ gte: key(2), reverse: true, limit: 2 })).toEqual([5, 4]);
    expect(await scan({ limit: -1 })).toEqual([1, 2, 3, 4, 5]);
    const started = db.scan({ gte: key(1) });
    const del = db.batch([{ type: 'del', key: key(3) }], { sync: false });
    await run();
    await del;
    const seen: number[] = [];
    for await (const [, v] of started) seen.push(v[0]!);
    expect(seen).toEqual([1, 2, 3, 4, 5]);
  });

  it('replaces the whole database in one synced write (a snapshot install), kept by a power loss', async () => {
    const { disk, run } = rig();
    const db = await disk.open();
    const w = db.batch([1, 2].map((n) => ({ type: 'put' as const, key: key(n), value: val(n) })), { sync: false });
    const r = db.replaceAll([{ key: key(7), value: val(7) }]);
    await run();
    await Promise.all([w, r]);
    disk.crash(true);
    expect(await visible(disk)).toEqual([7]);
  });
});
