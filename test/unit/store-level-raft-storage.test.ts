import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Level } from 'level';
import { afterEach, describe, expect, it } from 'vitest';
import { RaftNode, type Entry } from '../../src/raft/index.js';
import { entryKey } from '../../src/store/leveldb/raft-codec.js';
import { LevelRaftStorage } from '../../src/store/leveldb/level-raft-storage.js';
import { nodeId } from '../../src/util/ids.js';
import { seededRng } from '../../src/util/rng.js';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'roster-raftlog-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const conf = { voters: [nodeId('a'), nodeId('b'), nodeId('c')], learners: [] };
const ent = (index: number, term: number, text = `e${index}`): Entry => ({ index, term, kind: 'normal', data: new TextEncoder().encode(text) });
const terms = (s: LevelRaftStorage): number[][] => {
  const out: number[][] = [];
  for (let i = s.firstIndex() - 1; i <= s.lastIndex(); i++) out.push([i, s.term(i)!]);
  return out;
};

async function rawDb(dir: string): Promise<Level<Uint8Array, Uint8Array>> {
  const db = new Level<Uint8Array, Uint8Array>(dir, { keyEncoding: 'view', valueEncoding: 'view' });
  await db.open();
  return db;
}

describe('LevelRaftStorage', () => {
  it('bootstraps a founding member from the snapshot at index 1 and reopens it', async () => {
    const dir = tempDir();
    const s = await LevelRaftStorage.open(dir, { bootstrap: conf });
    expect(s.initialState()).toEqual({ hardState: { term: 1, vote: '', commit: 1 }, conf, snapshotIndex: 1 });
    expect([s.firstIndex(), s.lastIndex()]).toEqual([2, 1]);
    await s.close();
    const again = await LevelRaftStorage.open(dir, { bootstrap: { voters: [nodeId('z')], learners: [] } });
    expect(again.initialState().conf).toEqual(conf); // the stored identity wins over flags
    await again.close();
  });

  it('persists entries and hard state and reads them back after a reopen', async () => {
    const dir = tempDir();
    const s = await LevelRaftStorage.open(dir, { bootstrap: conf });
    await s.persist({ entries: [ent(2, 2), ent(3, 2)], hardState: { term: 2, vote: nodeId('a'), commit: 3 } }, true);
    await s.close();
    const r = await LevelRaftStorage.open(dir);
    expect(r.initialState().hardState).toEqual({ term: 2, vote: 'a', commit: 3 });
    expect(r.entries(2, 4).map((e) => new TextDecoder().decode(e.data))).toEqual(['e2', 'e3']);
    expect(r.recovery.droppedTail).toBe(0);
    await r.close();
  });

  it('an append that overlaps the log replaces the stored suffix', async () => {
    const dir = tempDir();
    const s = await LevelRaftStorage.open(dir, { bootstrap: conf });
    await s.persist({ entries: [ent(2, 2), ent(3, 2), ent(4, 2), ent(5, 2)] }, true);
    await s.persist({ entries: [ent(4, 3, 'new4')] }, true);
    expect(terms(s)).toEqual([[1, 1], [2, 2], [3, 2], [4, 3]]);
    await s.close();
    const r = await LevelRaftStorage.open(dir);
    expect(terms(r)).toEqual([[1, 1], [2, 2], [3, 2], [4, 3]]);
    expect(new TextDecoder().decode(r.entries(4, 5)[0]!.data)).toBe('new4');
    await r.close();
  });

  it('compacts up to a point, keeping a tail, and remembers the term before the tail', async () => {
    const dir = tempDir();
    const s = await LevelRaftStorage.open(dir, { bootstrap: conf });
    await s.persist({ entries: [2, 3, 4, 5, 6].map((i) => ent(i, i < 4 ? 2 : 3)) }, true);
    await s.compact({ index: 5, term: 3, conf }, 3);
    expect(terms(s)).toEqual([[3, 2], [4, 3], [5, 3], [6, 3]]);
    await s.close();
    const r = await LevelRaftStorage.open(dir);
    expect(terms(r)).toEqual([[3, 2], [4, 3], [5, 3], [6, 3]]);
    expect(r.initialState().snapshotIndex).toBe(5);
    await r.close();
  });

  it('installing a received snapshot replaces the whole log', async () => {
    const dir = tempDir();
    const s = await LevelRaftStorage.open(dir, { bootstrap: conf });
    await s.persist({ entries: [ent(2, 2), ent(3, 2)] }, true);
    await s.persist({ snapshot: { index: 10, term: 4, conf }, entries: [ent(11, 4)], hardState: { term: 4, vote: '' as never, commit: 10 } }, true);
    expect(terms(s)).toEqual([[10, 4], [11, 4]]);
    await s.close();
    const r = await LevelRaftStorage.open(dir);
    expect(terms(r)).toEqual([[10, 4], [11, 4]]);
    expect(r.initialState()).toMatchObject({ snapshotIndex: 10, hardState: { commit: 10 } });
    await r.close();
  });

  it('drops a torn tail (an uncommitted entry whose record is damaged) and never serves it', async () => {
    const dir = tempDir();
    const s = await LevelRaftStorage.open(dir, { bootstrap: conf });
    await s.persist({ entries: [ent(2, 2), ent(3, 2), ent(4, 2)], hardState: { term: 2, vote: '' as never, commit: 2 } }, true);
    await s.close();
    const db = await rawDb(dir);
    const good = (await db.get(entryKey(3)));
    await db.put(entryKey(3), good.subarray(0, good.length - 2)); // a write cut short
    await db.close();
    const r = await LevelRaftStorage.open(dir);
    expect(terms(r)).toEqual([[1, 1], [2, 2]]);
    expect(r.recovery.droppedTail).toBe(2);
    await r.close();
    const again = await LevelRaftStorage.open(dir); // the damaged records were deleted
    expect(again.lastIndex()).toBe(2);
    expect(again.recovery.droppedTail).toBe(0);
    await again.close();
  });

  it('refuses to start when a committed entry is damaged', async () => {
    const dir = tempDir();
    const s = await LevelRaftStorage.open(dir, { bootstrap: conf });
    await s.persist({ entries: [ent(2, 2), ent(3, 2)], hardState: { term: 2, vote: '' as never, commit: 3 } }, true);
    await s.close();
    const db = await rawDb(dir);
    const bad = (await db.get(entryKey(2))).slice();
    bad[bad.length - 1] = bad[bad.length - 1]! ^ 0xff; // a flipped bit
    await db.put(entryKey(2), bad);
    await db.close();
    await expect(LevelRaftStorage.open(dir)).rejects.toMatchObject({ code: 'STORAGE_CORRUPT' });
  });

  it('a Raft node restarted on it keeps its term, vote and log', async () => {
    const dir = tempDir();
    const single = { voters: [nodeId('a')], learners: [] };
    let storage = await LevelRaftStorage.open(dir, { bootstrap: single });
    let node = new RaftNode({ id: nodeId('a'), storage, rng: seededRng(1) });
    node.campaign();
    node.propose([new TextEncoder().encode('x')]);
    const applied: string[] = [];
    for (let i = 0; i < 5 && node.hasReady(); i++) {
      const rd = node.ready();
      await storage.persist({ entries: rd.entries, hardState: rd.hardState }, rd.mustSync);
      for (const e of rd.committedEntries) if (e.data.length > 0) applied.push(new TextDecoder().decode(e.data));
      node.advance();
    }
    expect(applied).toEqual(['x']);
    const before = node.status();
    await storage.close();
    storage = await LevelRaftStorage.open(dir);
    node = new RaftNode({ id: nodeId('a'), storage, rng: seededRng(2) });
    expect(node.status()).toMatchObject({ term: before.term, vote: before.vote, commit: before.commit, lastIndex: before.lastIndex });
    await storage.close();
  });
});
