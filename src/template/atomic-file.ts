import { open, rename, rm, stat, chown } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Writes `text` to `path` so that a reader sees the old file or the new one, never a part:
 * into a temporary file beside it, flushed to disk, given the old file's mode and owner (0644
 * and this user for a new one, or `mode`), renamed over it, then the directory flushed so the
 * rename survives a crash.
 */
export async function writeFileAtomically(path: string, text: string, mode?: number): Promise<void> {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.roster-${process.pid}-${Date.now()}.tmp`);
  const old = await stat(path).catch(() => undefined);
  const file = await open(tmp, 'w', mode ?? old?.mode ?? 0o644);
  try {
    await file.writeFile(text);
    await file.chmod((mode ?? old?.mode ?? 0o644) & 0o7777);
    if (old !== undefined && (old.uid !== process.getuid?.() || old.gid !== process.getgid?.())) await chown(tmp, old.uid, old.gid).catch(() => undefined);
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
