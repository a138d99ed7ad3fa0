/**
 * The deterministic cores and what each forbids (ESLint enforces these, eslint.config.mjs):
 * imports 'relative-only' (no package or builtin at all) or 'no-builtins'; globals: no clock,
 * timers, randomness, process or code from strings; sync: no async, await or Promise. Every
 * input arrives as an argument, so the simulator replays any run from a seed.
 */
export const PURITY = {
  raft: { imports: 'relative-only', globals: true, sync: true },
  gossip: { imports: 'relative-only', globals: true, sync: true },
  store: { imports: 'relative-only', globals: true, sync: false },
  // Shared with the cores, so nothing of Node's; it defines Clock and Rng instead of using them.
  util: { imports: 'no-builtins', globals: true, sync: false },
};
// store/leveldb is the only LevelDB code: it does I/O on purpose, so it has no purity zone.
export const IMPURE_SUBFOLDERS = ['store/leveldb'];
