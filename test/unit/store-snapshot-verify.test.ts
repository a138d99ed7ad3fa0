import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { STATE_PREFIX, StateDb } from '../../src/store/leveldb/state-db.js';
import { verifySnapshotFile } from '../../src/store/leveldb/snapshot-file.js';
import { nodeId } from '../../src/util/ids.js';

/** When set, the snapshot writer damages the file it just wrote (a writer bug, or the disk). */
const damage = vi.hoisted(() => ({ on: false }));
vi.mock('../../src/store/leveldb/snapshot-file.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/store/leveldb/snapshot-file.js')>();
  return {
    ...real,
    writeSnapshotFile: async (...args: Parameters<typeof real.writeSnapshotFile>) => {
      const written = await real.writeSnapshotFile(...args);
      if (damage.on) {
        const bytes = readFileSync(args[0]);
        bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 0xff; // the CRC's last byte
        writeFileSync(args[0], bytes);
      }
      return written;
    },
  };
});

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'roster-verify-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  damage.on = false;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const header = { meta: { index: 7, term: 2, conf: { voters: [nodeId('a')], learners: [] } }, clusterId: '5' };

describe('a snapshot is verified once written', () => {
  it('a file that verifies is returned, with its count; verifySnapshotFile reads the same', async () => {
    const s = await StateDb.open(tempDir());
    await s.store(STATE_PREFIX.kv).write([{ type: 'put', key: enc('a'), value: new Uint8Array(0) }, { type: 'put', key: enc('b'), value: enc('2') }]);
    const out = tempDir();
    const file = join(out, 'ok.snap');
    expect(await s.writeSnapshot(file, header)).toMatchObject({ records: 2 });
    expect(await verifySnapshotFile(file)).toMatchObject({ header, records: 2 });
    await s.close();
  });

  it('a file that does not verify is refused with BAD_SNAPSHOT and removed, never left to send or save', async () => {
    const s = await StateDb.open(tempDir());
    await s.store(STATE_PREFIX.kv).write([{ type: 'put', key: enc('a'), value: enc('1') }]);
    const out = tempDir();
    damage.on = true;
    await expect(s.writeSnapshot(join(out, 'bad.snap'), header)).rejects.toMatchObject({ code: 'BAD_SNAPSHOT', message: expect.stringContaining('does not verify') as unknown });
    expect(readdirSync(out)).toEqual([]);
    await s.close();
  });
});
