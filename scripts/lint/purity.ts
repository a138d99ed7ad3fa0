import { folderOf } from './folders.js';

/**
 * What a pure folder forbids. The cores (raft, gossip, store) are deterministic: every input
 * arrives as an argument, so the simulator can replay any run from a seed.
 */
export interface PurityZone {
  /**
   * Rule `pure-import`. 'relative-only': no package or builtin at all; 'no-builtins': packages
   * allowed, no Node builtins (`node:*`, `fs`...); 'any': no restriction.
   */
  readonly imports: 'relative-only' | 'no-builtins' | 'any';
  /** Rule `pure-global`: no clock, timers, randomness, process, I/O or code-from-strings globals. */
  readonly globals: boolean;
  /** Rule `pure-sync`: no async functions, no await, no Promise. */
  readonly sync: boolean;
}

/** Keyed by folder relative to src/; an entry covers subfolders without one of their own. */
export const PURITY: Readonly<Record<string, PurityZone>> = {
  raft: { imports: 'relative-only', globals: true, sync: true },
  gossip: { imports: 'relative-only', globals: true, sync: true },
  store: { imports: 'relative-only', globals: true, sync: false },
  // The only LevelDB code: it does I/O on purpose, through `level` and node:fs.
  'store/leveldb': { imports: 'any', globals: false, sync: false },
  // Shared with the cores, so nothing of Node's; it defines Clock and Rng instead of using them.
  util: { imports: 'no-builtins', globals: true, sync: false },
};

export type PurityTable = Readonly<Record<string, PurityZone>>;

/** The zone governing a path relative to src/, or undefined where anything goes. */
export function purityOf(srcPath: string, table: PurityTable = PURITY): PurityZone | undefined {
  const folder = folderOf(srcPath, Object.keys(table));
  return folder === undefined ? undefined : table[folder];
}
