import { readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Failpoints: test-only disk faults in the storage layer, in the style of etcd's gofail.
 *
 * Off unless the process starts with ROSTER_FAILPOINTS set, e.g.
 * `ROSTER_FAILPOINTS="raft-log-write=enospc;raft-fsync=sleep(1500)"`; then each named point
 * runs its action every time the code passes it. With ROSTER_FAILPOINTS_HTTP=1 as well, the
 * server's --http-addr also takes `PUT /debug/failpoints/NAME` (body: the action) and
 * `DELETE /debug/failpoints/NAME`, so a test can clear a fault at run time. When off, each point
 * costs one boolean check.
 *
 * Points:
 * - `raft-log-write`: before every Raft log batch (a Ready's write, a compaction).
 * - `raft-fsync`: on every synced Raft log batch (a sleep there is an fsync that stalls).
 * - `unsynced-writes`: `drop` records, after every synced LevelDB write (Raft log and state),
 *   how long each write-ahead log file was; test/integration/power-loss.ts truncates them to
 *   that after a kill -9, which is what a power loss does to writes never fsynced.
 *
 * Actions: `eio` and `enospc` (the write fails with that error), `sleep(ms)`, `off`, and on
 * `raft-fsync` only, `skip`: the write is not fsynced at all (a planted bug, for showing that
 * the power-loss test catches an acknowledgement before fsync). `N*action` runs the action N
 * times, then the point is off.
 */
export type FailpointName = 'raft-log-write' | 'raft-fsync' | 'unsynced-writes';

const NAMES: readonly FailpointName[] = ['raft-log-write', 'raft-fsync', 'unsynced-writes'];

export type FailpointAction = { readonly kind: 'eio' | 'enospc' | 'skip' | 'drop' } | { readonly kind: 'sleep'; readonly ms: number };

interface Armed {
  readonly action: FailpointAction;
  /** How many more times it runs (Infinity: until changed). */
  remaining: number;
}

const armed = new Map<FailpointName, Armed>();

/** Whether any failpoint may be armed (the env var was set at start): the only cost when off. */
export const failpointsEnabled = process.env['ROSTER_FAILPOINTS'] !== undefined;

/** Whether the HTTP endpoint may change failpoints (tests only). */
export const failpointsHttpEnabled = failpointsEnabled && process.env['ROSTER_FAILPOINTS_HTTP'] === '1';

export function isFailpointName(name: string): name is FailpointName {
  return (NAMES as readonly string[]).includes(name);
}

/** Parses `eio`, `enospc`, `skip`, `drop`, `off`, `sleep(ms)`, each optionally `N*...`. */
export function parseFailpointAction(name: FailpointName, text: string): { action: FailpointAction; times: number } | 'off' {
  const t = text.trim();
  const m = /^(?:(\d{1,6})\*)?(eio|enospc|skip|drop|off|sleep\((\d{1,6})\))$/.exec(t);
  if (m === null) throw new Error(`failpoint ${name}: cannot parse "${t}" (expected eio, enospc, sleep(ms), skip, drop or off, optionally N*...)`);
  const times = m[1] === undefined ? Infinity : Number(m[1]);
  const word = m[2]!;
  if (word === 'off') return 'off';
  const action: FailpointAction = word.startsWith('sleep') ? { kind: 'sleep', ms: Number(m[3]) } : { kind: word as 'eio' | 'enospc' | 'skip' | 'drop' };
  const allowed: Record<FailpointName, readonly string[]> = {
    'raft-log-write': ['eio', 'enospc', 'sleep'],
    'raft-fsync': ['eio', 'enospc', 'sleep', 'skip'],
    'unsynced-writes': ['drop'],
  };
  if (!allowed[name].includes(action.kind)) throw new Error(`failpoint ${name} does not take ${action.kind} (it takes ${allowed[name].join(', ')})`);
  return { action, times };
}

/** Arms (or with `off`, disarms) one failpoint. Throws a one-line error on a bad name or action. */
export function setFailpoint(name: string, text: string): void {
  if (!failpointsEnabled) throw new Error('failpoints are off: start the process with ROSTER_FAILPOINTS set');
  if (!isFailpointName(name)) throw new Error(`unknown failpoint "${name}" (known: ${NAMES.join(', ')})`);
  const parsed = parseFailpointAction(name, text);
  if (parsed === 'off') armed.delete(name);
  else armed.set(name, { action: parsed.action, remaining: parsed.times });
}

/** The armed failpoints, as `name=action` (for the HTTP endpoint and logs). */
export function describeFailpoints(): string {
  return [...armed].map(([n, a]) => `${n}=${a.action.kind === 'sleep' ? `sleep(${a.action.ms})` : a.action.kind}`).join(';');
}

/** Parses ROSTER_FAILPOINTS: `name=action;name=action`. */
export function armFromEnv(spec: string): void {
  for (const part of spec.split(';')) {
    if (part.trim() === '') continue;
    const eq = part.indexOf('=');
    if (eq < 0) throw new Error(`ROSTER_FAILPOINTS: "${part}" is not name=action`);
    setFailpoint(part.slice(0, eq).trim(), part.slice(eq + 1));
  }
}

if (failpointsEnabled) armFromEnv(process.env['ROSTER_FAILPOINTS']!);

/** The action of `name` this time, if armed (counting it down). */
function take(name: FailpointName): FailpointAction | undefined {
  const a = armed.get(name);
  if (a === undefined) return undefined;
  if (--a.remaining <= 0) armed.delete(name);
  return a.action;
}

/** An error shaped like the one Node raises for a failed system call. */
export function diskFaultError(code: 'EIO' | 'ENOSPC', point: string): Error {
  const text = code === 'EIO' ? 'i/o error' : 'no space left on device';
  return Object.assign(new Error(`${code}: ${text} (failpoint ${point})`), { code });
}

/** Runs `name`'s action if armed: fails with EIO or ENOSPC, or sleeps. Resolves to whether to skip (raft-fsync=skip). */
export async function failpoint(name: FailpointName): Promise<boolean> {
  const a = take(name);
  if (a === undefined) return false;
  if (a.kind === 'eio' || a.kind === 'enospc') throw diskFaultError(a.kind === 'eio' ? 'EIO' : 'ENOSPC', name);
  if (a.kind === 'sleep') await new Promise((resolve) => setTimeout(resolve, a.ms));
  return a.kind === 'skip';
}

/** The file, in a LevelDB directory, where `unsynced-writes=drop` records the synced lengths. */
export const SYNCED_LENGTHS_FILE = 'SYNCED-LENGTHS.json';

/**
 * After a synced write to the LevelDB database in `dir`: when `unsynced-writes=drop` is armed,
 * records how long each of its write-ahead logs is now (everything up to there is fsynced).
 * Synchronous, so that it is on file before the write it follows is acknowledged.
 */
export function noteSynced(dir: string): void {
  if (armed.get('unsynced-writes')?.action.kind !== 'drop') return;
  const lengths: Record<string, number> = {};
  for (const name of readdirSync(dir)) if (/^\d+\.log$/.test(name)) lengths[name] = statSync(join(dir, name)).size;
  // Whole or not at all: a kill -9 can land in the middle of this write, and the power-loss
  // emulation reads the file right after one (a torn record file once failed that test).
  const tmp = join(dir, `${SYNCED_LENGTHS_FILE}.tmp`);
  writeFileSync(tmp, JSON.stringify(lengths));
  renameSync(tmp, join(dir, SYNCED_LENGTHS_FILE));
}
