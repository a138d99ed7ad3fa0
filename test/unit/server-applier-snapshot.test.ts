import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { monotonicClock } from '../../src/time/monotonic-clock.js';
import { Applier, diskSnapshotFiles, type ApplierDeps, type StateStore } from '../../src/server/applier.js';
import type { SnapshotHeader } from '../../src/store/leveldb/snapshot-file.js';
import { RosterError } from '../../src/util/errors.js';
import type { Logger } from '../../src/util/logger.js';

const dirs: string[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** An applier at index 10 whose state writes snapshots as `write` says; what it did is recorded. */
function applierWith(write: (path: string, h: SnapshotHeader) => Promise<{ bytes: number; records: number }>) {
  const snapDir = mkdtempSync(join(tmpdir(), 'roster-applier-'));
  dirs.push(snapDir);
  const seen = { prepared: [] as number[], refused: [] as string[], errors: [] as string[], writes: 0, kicks: 0 };
  const logger: Logger = { debug() {}, info() {}, warn() {}, error: (m) => void seen.errors.push(m) };
  const deps = {
    state: {
      writeSnapshot: (path: string, h: SnapshotHeader) => {
        seen.writes++;
        return write(path, h);
      },
      sync: () => Promise.resolve(),
    },
    storage: { term: () => 3, compactionPoint: () => ({ index: 9, term: 3, conf: { voters: [], learners: [] } }), firstIndex: () => 10, setPreparedSnapshot: (m: { index: number }) => void seen.prepared.push(m.index) },
    node: { confStateAt: () => ({ voters: [], learners: [] }) },
    driver: () => ({ kick: () => void seen.kicks++, compact: () => Promise.resolve() }),
    snapDir,
    snapshotFiles: diskSnapshotFiles,
    clock: monotonicClock,
    clusterId: () => '1',
    snapshotEvery: 1_000_000,
    keepTail: 0,
    logger,
    fatal: (err: unknown) => {
      throw err;
    },
    onSnapshotRefused: (purpose: string) => void seen.refused.push(purpose),
  } as unknown as ApplierDeps;
  const mvcc = { appliedIndex: () => 10 } as unknown as StateStore;
  return { applier: new Applier(deps, mvcc, () => Promise.resolve(mvcc)), seen };
}

const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 0));
const refuse = (): Promise<never> => Promise.reject(new RosterError('BAD_SNAPSHOT', 'the snapshot just written at index 10 is refused: /snap/send-3-10.snap does not verify: checksum or record count mismatch'));

describe('the applier uses only snapshot files that verified', () => {
  it('a prepared file that does not verify is not offered to the core; the failure is logged and counted', async () => {
    const { applier, seen } = applierWith(refuse);
    applier.wantSnapshot();
    await settle();
    expect(seen.writes).toBe(1);
    expect(seen.prepared).toEqual([]);
    expect(applier.prepared.size).toBe(0);
    expect(seen.refused).toEqual(['send']);
    expect(seen.errors).toEqual(['preparing a snapshot for a follower failed: it did not verify and is not used']);
  });

  it('after a refusal the next preparation waits (back-off), then a file that verifies is offered', async () => {
    let fail = true;
    const { applier, seen } = applierWith(() => (fail ? refuse() : Promise.resolve({ bytes: 1, records: 0 })));
    applier.wantSnapshot();
    await settle();
    applier.wantSnapshot(); // the core asks again at once: no second write yet
    await settle();
    expect(seen.writes).toBe(1);
    fail = false;
    // The back-off runs on the monotonic clock (a wall clock step would change nothing).
    const later = performance.now() + 1500;
    vi.spyOn(performance, 'now').mockReturnValue(later);
    applier.wantSnapshot();
    await settle();
    expect(seen.writes).toBe(2);
    await vi.waitFor(() => expect(seen.prepared).toEqual([10]));
    expect(seen.refused).toEqual(['send']);
  });

  it('an image for `snapshot save` that does not verify fails the request and is counted', async () => {
    const { applier, seen } = applierWith(refuse);
    await expect(applier.writeImage('/nowhere/x.snap')).rejects.toMatchObject({ code: 'BAD_SNAPSHOT' });
    expect(seen.refused).toEqual(['save']);
    expect(seen.errors).toEqual(['writing a snapshot image failed: it did not verify and is not used']);
  });
});
