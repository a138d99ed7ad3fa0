import { describe, expect, it } from 'vitest';
import { hashKv } from '../../src/store/kv/hash-kv.js';
import { MemoryOrderedKv } from '../../src/store/kv/memory-kv.js';
import { MvccStore } from '../../src/store/kv/mvcc-store.js';
import { deleteRangeRequest, putRequest } from '../../src/store/kv/requests.js';
import type { KvCommand } from '../../src/store/kv/command.js';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

/** A store fed the same commands, entry by entry. */
async function storeWith(commands: readonly KvCommand[]): Promise<{ store: MvccStore; apply: (c: KvCommand) => Promise<void> }> {
  const store = await MvccStore.open(new MemoryOrderedKv());
  let index = 0;
  const apply = async (c: KvCommand): Promise<void> => {
    const [r] = await store.apply([{ index: ++index, command: c }]);
    if (!r!.ok) throw r!.error;
  };
  for (const c of commands) await apply(c);
  return { store, apply };
}

const history: KvCommand[] = [
  ...Array.from({ length: 30 }, (_, i): KvCommand => ({ type: 'put', request: putRequest(enc(`k/${i % 9}`), enc(i % 4 === 0 ? '' : `v${i}`)) })),
  { type: 'deleteRange', request: deleteRangeRequest(enc('k/3')) },
  { type: 'compact', request: { revision: 10 } },
];

describe('HashKV', () => {
  it('is the same on two stores with the same history, read in one slice or many, and differs at another revision', async () => {
    const a = await storeWith(history);
    const b = await storeWith(history);
    const read = (s: MvccStore): Parameters<typeof hashKv>[0] => (fn) => s.read(fn);
    const whole = await hashKv(read(a.store), 0);
    expect(whole).toMatchObject({ hashRevision: a.store.revision(), compactRevision: 10 });
    expect(await hashKv(read(b.store), 0)).toEqual(whole);
    // Slices of 3 entries give the same hash as one read.
    expect(await hashKv(read(a.store), 0, 3)).toEqual(whole);
    expect((await hashKv(read(a.store), whole.hashRevision - 1)).hash).not.toBe(whole.hash);
    await expect(hashKv(read(a.store), whole.hashRevision + 1)).rejects.toMatchObject({ code: 'FUTURE_REV' });
    await expect(hashKv(read(a.store), 9)).rejects.toMatchObject({ code: 'COMPACTED' });
  });

  it('lets applies run between slices: a write above the revision changes nothing, a compaction meanwhile fails it', async () => {
    const { store, apply } = await storeWith(history);
    const at = store.revision();
    const expected = await hashKv((fn) => store.read(fn), at);
    let reads = 0;
    const writing = await hashKv(async (fn) => {
      if (reads++ === 2) await apply({ type: 'put', request: putRequest(enc('k/0'), enc('later')) });
      return store.read(fn);
    }, at, 3);
    expect(writing).toEqual(expected);
    reads = 0;
    await expect(
      hashKv(async (fn) => {
        if (reads++ === 2) await apply({ type: 'compact', request: { revision: 20 } });
        return store.read(fn);
      }, at, 3),
    ).rejects.toMatchObject({ code: 'COMPACTED' });
  });
});
