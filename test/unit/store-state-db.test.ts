import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { STATE_PREFIX, StateDb } from '../../src/store/leveldb/state-db.js';
import { SnapshotReader } from '../../src/store/leveldb/snapshot-file.js';
import { nodeId } from '../../src/util/ids.js';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'roster-state-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const dec = (b: Uint8Array | undefined): string | undefined => (b === undefined ? undefined : new TextDecoder().decode(b));
const header = { meta: { index: 42, term: 3, conf: { voters: [nodeId('a')], learners: [] } }, clusterId: '7' };

async function collect(kv: ReturnType<StateDb['store']>): Promise<string[]> {
  const out: string[] = [];
  for await (const e of kv.scan({ gte: new Uint8Array(0), lt: Uint8Array.of(0xff) })) out.push(`${dec(e.key)}=${dec(e.value)}`);
  return out;
}

describe('StateDb and snapshot files', () => {
  it('keeps stores apart by prefix and snapshots the whole state into a verified file', async () => {
    const dir = tempDir();
    const s = await StateDb.open(dir);
    await s.store(STATE_PREFIX.kv).write([{ type: 'put', key: enc('x'), value: enc('1') }, { type: 'put', key: enc('y'), value: enc('2') }]);
    await s.store(STATE_PREFIX.cluster).write([{ type: 'put', key: enc('m'), value: enc('n1') }]);
    expect(await collect(s.store(STATE_PREFIX.kv))).toEqual(['x=1', 'y=2']);
    const file = join(dir, 'snap');
    const written = await s.writeSnapshot(file, header);
    expect(written.records).toBe(3);
    const r = new SnapshotReader(file);
    const seen: string[] = [];
    for await (const [k] of r.records()) seen.push(dec(k)!);
    expect(r.verified()).toBe(true);
    expect(r.header).toEqual(header);
    expect(seen).toEqual(['cm', 'kx', 'ky']);
    await s.close();
  });

  it('snapshots empty values as LevelDB returns them (lease index entries) into a file that verifies and installs', async () => {
    const s = await StateDb.open(tempDir());
    await s.store(STATE_PREFIX.kv).write([
      { type: 'put', key: enc('a'), value: enc('1') },
      { type: 'put', key: enc('lease/7/a'), value: new Uint8Array(0) },
      { type: 'put', key: enc('z'), value: enc('2') },
    ]);
    const file = join(tempDir(), 'snap');
    expect((await s.writeSnapshot(file, header)).records).toBe(3);
    await s.close();
    const dst = await StateDb.open(tempDir());
    await dst.installSnapshot(file);
    expect(await collect(dst.store(STATE_PREFIX.kv))).toEqual(['a=1', 'lease/7/a=', 'z=2']);
    await dst.close();
  });

  it('installs a snapshot as a new generation, and the state survives a reopen', async () => {
    const src = await StateDb.open(tempDir());
    await src.store(STATE_PREFIX.kv).write([{ type: 'put', key: enc('k'), value: enc('from-leader') }]);
    const file = join(tempDir(), 'snap');
    await src.writeSnapshot(file, header);
    await src.close();

    const dir = tempDir();
    const dst = await StateDb.open(dir);
    const kv = dst.store(STATE_PREFIX.kv);
    await kv.write([{ type: 'put', key: enc('old'), value: enc('gone') }]);
    expect(await dst.installSnapshot(file)).toEqual(header);
    expect(await collect(kv)).toEqual(['k=from-leader']); // the same handle follows the swap
    await dst.close();
    const again = await StateDb.open(dir);
    expect(await collect(again.store(STATE_PREFIX.kv))).toEqual(['k=from-leader']);
    expect(readFileSync(join(dir, 'state', 'CURRENT'), 'utf8').trim()).toBe('2');
    await again.close();
  });

  it('refuses a damaged or truncated snapshot and keeps the current state', async () => {
    const src = await StateDb.open(tempDir());
    await src.store(STATE_PREFIX.kv).write([{ type: 'put', key: enc('k'), value: enc('v') }]);
    const file = join(tempDir(), 'snap');
    await src.writeSnapshot(file, header);
    await src.close();
    const bytes = readFileSync(file);
    const damaged = Buffer.from(bytes);
    damaged[damaged.length - 20] = damaged[damaged.length - 20]! ^ 0x01;
    writeFileSync(`${file}.bad`, damaged);
    writeFileSync(`${file}.short`, bytes.subarray(0, bytes.length - 10));

    const dst = await StateDb.open(tempDir());
    await dst.store(STATE_PREFIX.kv).write([{ type: 'put', key: enc('mine'), value: enc('kept') }]);
    await expect(dst.installSnapshot(`${file}.bad`)).rejects.toMatchObject({ code: 'BAD_SNAPSHOT' });
    await expect(dst.installSnapshot(`${file}.short`)).rejects.toMatchObject({ code: 'BAD_SNAPSHOT' });
    expect(await collect(dst.store(STATE_PREFIX.kv))).toEqual(['mine=kept']);
    await dst.close();
  });
});
