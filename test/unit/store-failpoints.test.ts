import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { diskFaultCode } from '../../src/store/leveldb/disk-fault.js';

type Failpoints = typeof import('../../src/store/leveldb/failpoints.js');

/** The module as a process started with ROSTER_FAILPOINTS=spec would load it. */
async function load(spec: string | undefined): Promise<Failpoints> {
  vi.resetModules();
  if (spec === undefined) vi.stubEnv('ROSTER_FAILPOINTS', undefined);
  else vi.stubEnv('ROSTER_FAILPOINTS', spec);
  return import('../../src/store/leveldb/failpoints.js');
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('failpoints', () => {
  it('are off, and cannot be armed, unless the process started with ROSTER_FAILPOINTS', async () => {
    const fp = await load(undefined);
    expect(fp.failpointsEnabled).toBe(false);
    expect(() => fp.setFailpoint('raft-log-write', 'eio')).toThrow(/start the process with ROSTER_FAILPOINTS/);
  });

  it('arm from the environment and fail a write with EIO or ENOSPC, like a failed system call', async () => {
    const fp = await load('raft-log-write=enospc; raft-fsync=eio');
    expect(fp.describeFailpoints()).toBe('raft-log-write=enospc;raft-fsync=eio');
    const err = await fp.failpoint('raft-log-write').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'ENOSPC', message: 'ENOSPC: no space left on device (failpoint raft-log-write)' });
    expect(diskFaultCode(err)).toBe('ENOSPC');
    await expect(fp.failpoint('raft-fsync')).rejects.toMatchObject({ code: 'EIO' });
    fp.setFailpoint('raft-log-write', 'off');
    await expect(fp.failpoint('raft-log-write')).resolves.toBe(false);
  });

  it('N*action runs N times, then the point is off; sleep(ms) waits; skip says not to fsync', async () => {
    const fp = await load('raft-log-write=2*eio;raft-fsync=sleep(30)');
    await expect(fp.failpoint('raft-log-write')).rejects.toMatchObject({ code: 'EIO' });
    await expect(fp.failpoint('raft-log-write')).rejects.toMatchObject({ code: 'EIO' });
    await expect(fp.failpoint('raft-log-write')).resolves.toBe(false);
    const began = performance.now();
    await expect(fp.failpoint('raft-fsync')).resolves.toBe(false);
    expect(performance.now() - began).toBeGreaterThanOrEqual(25);
    fp.setFailpoint('raft-fsync', 'skip');
    await expect(fp.failpoint('raft-fsync')).resolves.toBe(true);
  });

  it('refuses unknown names and actions, and actions a point does not take, in one line', async () => {
    await expect(load('raft-log-wrte=eio')).rejects.toThrow(/unknown failpoint "raft-log-wrte" \(known: raft-log-write, raft-fsync, unsynced-writes\)/);
    const fp = await load('');
    expect(() => fp.setFailpoint('raft-fsync', 'explode')).toThrow(/cannot parse "explode"/);
    expect(() => fp.setFailpoint('raft-log-write', 'skip')).toThrow(/raft-log-write does not take skip/);
  });

  it('unsynced-writes=drop records the length of each write-ahead log after a synced write', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'roster-fp-'));
    try {
      writeFileSync(join(dir, '000003.log'), 'x'.repeat(10));
      writeFileSync(join(dir, 'MANIFEST-000002'), 'm');
      const off = await load('');
      off.noteSynced(dir);
      expect(() => readFileSync(join(dir, off.SYNCED_LENGTHS_FILE))).toThrow(/ENOENT/);
      const fp = await load('unsynced-writes=drop');
      fp.noteSynced(dir);
      expect(JSON.parse(readFileSync(join(dir, fp.SYNCED_LENGTHS_FILE), 'utf8'))).toEqual({ '000003.log': 10 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('diskFaultCode', () => {
  it("names the file system condition in Node's and LevelDB's errors, and nothing else", () => {
    expect(diskFaultCode(Object.assign(new Error('x'), { code: 'EIO' }))).toBe('EIO');
    // What classic-level raised on a full tmpfs, and when opening it again while still full.
    const full = Object.assign(new Error('IO error: /tmp/smallfs/db/000003.log: No space left on device'), { code: 'LEVEL_IO_ERROR' });
    expect(diskFaultCode(full)).toBe('ENOSPC');
    expect(diskFaultCode(Object.assign(new Error('Database failed to open'), { code: 'LEVEL_DATABASE_NOT_OPEN', cause: full }))).toBe('ENOSPC');
    expect(diskFaultCode(Object.assign(new Error('IO error: bad sector'), { code: 'LEVEL_IO_ERROR' }))).toBe('EIO');
    expect(diskFaultCode(Object.assign(new Error('Database is not open'), { code: 'LEVEL_DATABASE_NOT_OPEN' }))).toBeUndefined();
    expect(diskFaultCode(new Error('a bug'))).toBeUndefined();
    expect(diskFaultCode(undefined)).toBeUndefined();
  });
});
