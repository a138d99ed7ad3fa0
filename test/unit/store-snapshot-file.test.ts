import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SnapshotReader, verifySnapshotFile, writeSnapshotFile, type SnapshotHeader, type SnapshotRecord } from '../../src/store/leveldb/snapshot-file.js';
import { nodeId } from '../../src/util/ids.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tempFile(name: string): string {
  const d = mkdtempSync(join(tmpdir(), 'roster-snapfile-'));
  dirs.push(d);
  return join(d, name);
}

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const dec = (b: Uint8Array): string => new TextDecoder().decode(b);
/** What LevelDB returns for an empty value (a lease index entry): a view over an empty ArrayBuffer. */
const empty = (): Uint8Array => new Uint8Array(new ArrayBuffer(0));
const header: SnapshotHeader = { meta: { index: 9, term: 2, conf: { voters: [nodeId('a'), nodeId('b')], learners: [nodeId('c')] } }, clusterId: '42' };

/** Records as a LevelDB state with leases holds them: empty values, and an empty key too. */
function records(): [Uint8Array, Uint8Array][] {
  return [
    [enc('k/plain'), enc('value')],
    [enc('k/lease-index/7/a'), empty()],
    [enc('k/lease-index/7/b'), empty()],
    [empty(), enc('empty key')],
    [enc('k/after'), enc('more')],
    [enc('k/last-empty'), empty()],
  ];
}

/** Records in pages of `size`, as StateDb hands a LevelDB iterator's nextv() pages to the writer. */
async function* asAsync(items: readonly SnapshotRecord[], size = 2): AsyncIterable<readonly SnapshotRecord[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

async function readAll(path: string): Promise<{ reader: SnapshotReader; seen: string[] }> {
  const reader = new SnapshotReader(path);
  const seen: string[] = [];
  for await (const [k, v] of reader.records()) seen.push(`${dec(k)}=${dec(v)}`);
  return { reader, seen };
}

describe('snapshot files', () => {
  it('write and read back a file whose records have empty values over empty ArrayBuffers', async () => {
    const file = tempFile('leases.snap');
    const written = await writeSnapshotFile(file, header, asAsync(records()));
    expect(written.records).toBe(6);
    const { reader, seen } = await readAll(file);
    expect(reader.verified()).toBe(true);
    expect(reader.header).toEqual(header);
    expect(seen).toEqual(['k/plain=value', 'k/lease-index/7/a=', 'k/lease-index/7/b=', '=empty key', 'k/after=more', 'k/last-empty=']);
  });

  it('verify a file of only empty records, and one with none', async () => {
    const onlyEmpty = tempFile('empty.snap');
    await writeSnapshotFile(onlyEmpty, header, asAsync([[empty(), empty()] as [Uint8Array, Uint8Array]]));
    expect((await readAll(onlyEmpty)).reader.verified()).toBe(true);
    const none = tempFile('none.snap');
    await writeSnapshotFile(none, header, asAsync([]));
    const { reader, seen } = await readAll(none);
    expect(reader.verified()).toBe(true);
    expect(seen).toEqual([]);
  });

  it('refuse a file with a flipped bit in a record, a changed length, or a cut end', async () => {
    const file = tempFile('good.snap');
    await writeSnapshotFile(file, header, asAsync(records()));
    const bytes = readFileSync(file);
    const at = bytes.indexOf(Buffer.from('more'));
    expect(at).toBeGreaterThan(0);
    const flipped = Buffer.from(bytes);
    flipped[at] = flipped[at]! ^ 0x01;
    writeFileSync(`${file}.flipped`, flipped);
    // An empty value's length made 1 (and the record's next byte taken as its value) must not pass.
    const lengthAt = bytes.indexOf(Buffer.from('k/lease-index/7/a')) + 'k/lease-index/7/a'.length;
    const relength = Buffer.from(bytes);
    relength[lengthAt + 3] = 1;
    writeFileSync(`${file}.relength`, relength);
    writeFileSync(`${file}.short`, bytes.subarray(0, bytes.length - 5));
    for (const bad of ['flipped', 'relength', 'short']) {
      const reader = new SnapshotReader(`${file}.${bad}`);
      await expect(
        (async () => {
          for await (const _ of reader.records()) {
            /* read it all */
          }
        })(),
      ).rejects.toMatchObject({ code: 'BAD_SNAPSHOT' });
      expect(reader.verified()).toBe(false);
    }
  });

  it("take etcd's seal after the trailer (zeros to 512, then the SHA-256), and refuse a wrong one or other trailing bytes", async () => {
    const file = tempFile('sealed.snap');
    await writeSnapshotFile(file, header, asAsync(records()));
    const bytes = readFileSync(file);
    const pad = Buffer.alloc((512 - (bytes.length % 512)) % 512);
    const seal = createHash('sha256').update(bytes).update(pad).digest();
    writeFileSync(`${file}.sealed`, Buffer.concat([bytes, pad, seal]));
    const sealed = await readAll(`${file}.sealed`);
    expect(sealed.reader.verified()).toBe(true);
    expect(sealed.seen).toHaveLength(6);
    const wrongDigest = Buffer.from(seal);
    wrongDigest[0] = wrongDigest[0]! ^ 0x01;
    writeFileSync(`${file}.wrong`, Buffer.concat([bytes, pad, wrongDigest]));
    writeFileSync(`${file}.unaligned`, Buffer.concat([bytes, pad, Buffer.alloc(1), seal]));
    writeFileSync(`${file}.garbage`, Buffer.concat([bytes, Buffer.from('x')]));
    const reasons: string[] = [];
    for (const bad of ['wrong', 'unaligned', 'garbage']) {
      const reader = new SnapshotReader(`${file}.${bad}`);
      const err = await (async () => {
        for await (const _ of reader.records()) {
          /* read it all */
        }
      })().then(
        () => undefined,
        (e: unknown) => e as { code: string; message: string },
      );
      expect(err?.code, bad).toBe('BAD_SNAPSHOT');
      reasons.push(err!.message);
      expect(reader.verified()).toBe(false);
    }
    expect(reasons).toEqual(["snapshot file: etcd's SHA-256 seal does not match the file", 'snapshot file: trailing bytes after the trailer', 'snapshot file: trailing bytes after the trailer']);
  });

  it('read back, exactly, a file of many records across the reader\'s 1 MiB chunks, one value larger than a chunk, and refuse it cut anywhere', async () => {
    const file = tempFile('large.snap');
    const many: SnapshotRecord[] = [];
    for (let i = 0; i < 30_000; i++) many.push([enc(`k/${String(i).padStart(6, '0')}`), i % 7 === 0 ? empty() : enc('v'.repeat(i % 97))]);
    many.splice(12_345, 0, [enc('k/huge'), new Uint8Array(3 << 20).fill(0x5a)]);
    const written = await writeSnapshotFile(file, header, asAsync(many, 1000));
    expect(written.records).toBe(many.length);
    const reader = new SnapshotReader(file);
    let i = 0;
    let mismatch: string | undefined;
    for await (const [k, v] of reader.records()) {
      const [wk, wv] = many[i++]!;
      if (mismatch === undefined && (!Buffer.from(k).equals(Buffer.from(wk)) || !Buffer.from(v).equals(Buffer.from(wv)))) mismatch = `record ${i - 1}: ${dec(k)}`;
    }
    expect(mismatch).toBeUndefined();
    expect(i).toBe(many.length);
    expect(reader.verified()).toBe(true);
    expect((await verifySnapshotFile(file)).records).toBe(many.length);
    const bytes = readFileSync(file);
    // Inside the header, inside a record, inside the huge value, at the end marker, in the trailer.
    const hugeAt = bytes.indexOf(Buffer.from('k/huge'));
    for (const cut of [20, 1 << 19, (1 << 20) + 3, hugeAt + 100_000, bytes.length - 16, bytes.length - 1]) {
      writeFileSync(`${file}.cut`, bytes.subarray(0, cut));
      await expect(verifySnapshotFile(`${file}.cut`), `cut at ${cut}`).rejects.toMatchObject({ code: 'BAD_SNAPSHOT' });
    }
    // A length field damaged into 2 GiB is refused at once (not read chunk by chunk to the end).
    const damaged = Buffer.from(bytes);
    damaged.writeUInt32BE(0x7fff_ffff, hugeAt - 4);
    writeFileSync(`${file}.long`, damaged);
    await expect(verifySnapshotFile(`${file}.long`)).rejects.toMatchObject({ code: 'BAD_SNAPSHOT', message: expect.stringContaining('truncated') as string });
    // The same for the value's length field (after the key 'k/huge').
    const damagedValue = Buffer.from(bytes);
    damagedValue.writeUInt32BE(0x7fff_ffff, hugeAt + 'k/huge'.length);
    writeFileSync(`${file}.longvalue`, damagedValue);
    await expect(verifySnapshotFile(`${file}.longvalue`)).rejects.toMatchObject({ code: 'BAD_SNAPSHOT', message: expect.stringContaining('truncated') as string });
  });
});
