import { randomBytes } from 'node:crypto';
import { open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Writes `text` to `path` so that a reader sees the old file or the new one, never a part:
 * into a new temporary file beside it (a random name, created exclusively: never through a
 * link someone planted), flushed to disk, given the old file's mode and owner (0644 and this
 * user for a new one, or `mode`), renamed over it, then the directory flushed so the rename
 * survives a crash.
 */
export async function writeFileAtomically(path: string, text: string, mode?: number): Promise<void> {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.roster-${randomBytes(8).toString('hex')}.tmp`);
  const old = await stat(path).catch(() => undefined);
  const want = (mode ?? old?.mode ?? 0o644) & 0o7777;
  const file = await open(tmp, 'wx', 0o600);
  try {
    await file.writeFile(text);
    await file.chmod(want);
    if (old !== undefined && (old.uid !== process.getuid?.() || old.gid !== process.getgid?.())) await file.chown(old.uid, old.gid).catch(() => undefined);
    await file.sync();
  } catch (err) {
    await file.close();
    await rm(tmp, { force: true });
    throw err;
  }
  await file.close();
  try {
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  const d = await open(dir, 'r');
  try {
    await d.sync();
  } finally {
    await d.close();
  }
}
