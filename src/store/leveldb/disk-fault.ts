/** The file system conditions a storage write can fail with that may clear up on their own. */
export type DiskFaultCode = 'EIO' | 'ENOSPC' | 'EROFS' | 'EDQUOT';

const TEXT: Record<DiskFaultCode, string> = {
  EIO: 'i/o error',
  ENOSPC: 'no space left on device',
  EROFS: 'read-only file system',
  EDQUOT: 'disk quota exceeded',
};

/**
 * The file system condition behind a failed write, or undefined for anything else (a bug, a
 * closed database). Node's own errors carry it as `code`; LevelDB's (classic-level) say
 * `LEVEL_IO_ERROR` and name the condition only in the message ("IO error: ... No space left on
 * device").
 */
export function diskFaultCode(err: unknown): DiskFaultCode | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const code = (err as { code?: unknown }).code;
  if (code === 'EIO' || code === 'ENOSPC' || code === 'EROFS' || code === 'EDQUOT') return code;
  // A database that could not be opened again carries the reason as its cause.
  if (code === 'LEVEL_DATABASE_NOT_OPEN') return diskFaultCode((err as { cause?: unknown }).cause);
  if (code !== 'LEVEL_IO_ERROR') return undefined;
  const message = err instanceof Error ? err.message : '';
  if (/no space left/i.test(message)) return 'ENOSPC';
  if (/read-only file system/i.test(message)) return 'EROFS';
  if (/quota/i.test(message)) return 'EDQUOT';
  return 'EIO';
}

/** "ENOSPC (no space left on device)". */
export function describeDiskFault(code: DiskFaultCode): string {
  return `${code} (${TEXT[code]})`;
}
