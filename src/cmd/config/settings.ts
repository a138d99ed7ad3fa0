import type { FlagSpec } from '../../flags/flags.js';

/** Flags that are not settings: never read from a file or the environment. */
export const NOT_SETTINGS: ReadonlySet<string> = new Set(['help', 'version', 'config-file', 'config-dir']);

/** The flag a config-file key sets (data_dir -> data-dir), if `spec` has it. */
export function flagOfKey(key: string, spec: FlagSpec): string | undefined {
  if (key.includes('-')) return undefined;
  const flag = key.replace(/_/g, '-');
  return Object.hasOwn(spec, flag) && !NOT_SETTINGS.has(flag) ? flag : undefined;
}
