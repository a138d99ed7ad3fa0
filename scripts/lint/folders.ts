/**
 * Folder matching shared by the rule tables. Paths are relative to `src/` with '/' separators
 * ("raft/log.ts", "store/leveldb/log-store.ts"); a table key names a folder ("store/leveldb").
 */

/**
 * The table key that governs `srcPath`: the longest key that is the path itself or one of its
 * ancestor folders. A folder's entry thus covers its subfolders unless a subfolder has its own.
 * Undefined when no key matches (a file directly in src/, or a folder missing from the table).
 */
export function folderOf(srcPath: string, keys: Iterable<string>): string | undefined {
  let best: string | undefined;
  for (const key of keys) {
    if ((srcPath === key || srcPath.startsWith(`${key}/`)) && (best === undefined || key.length > best.length)) {
      best = key;
    }
  }
  return best;
}
