import { existsSync, readdirSync, readFileSync, statSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { SYNCED_LENGTHS_FILE } from '../../src/store/leveldb/failpoints.js';

/**
 * What a power loss does to a server's data dir, emulated after a kill -9: every LevelDB
 * write-ahead log is cut back to the length it had at its last fsync, as the server recorded it
 * with the `unsynced-writes=drop` failpoint (a log it never synced goes entirely). Table files,
 * manifests and other files are fsynced when LevelDB writes them, so they stay. Returns the
 * bytes dropped.
 */
export function dropUnsyncedWrites(dataDir: string): number {
  let dropped = 0;
  for (const dir of levelDbDirs(dataDir)) {
    const record = join(dir, SYNCED_LENGTHS_FILE);
    const synced = existsSync(record) ? (JSON.parse(readFileSync(record, 'utf8')) as Record<string, number>) : {};
    for (const name of readdirSync(dir)) {
      if (!/^\d+\.log$/.test(name)) continue;
      const path = join(dir, name);
      const size = statSync(path).size;
      const keep = Math.min(size, synced[name] ?? 0);
      if (keep < size) {
        truncateSync(path, keep);
        dropped += size - keep;
      }
    }
  }
  return dropped;
}

/** Every LevelDB database (a directory with a MANIFEST) under `root`. */
function levelDbDirs(root: string): string[] {
  const out: string[] = [];
  const names = readdirSync(root);
  if (names.some((n) => n.startsWith('MANIFEST-'))) out.push(root);
  for (const n of names) {
    const p = join(root, n);
    if (statSync(p).isDirectory()) out.push(...levelDbDirs(p));
  }
  return out;
}
