import { spawn, type ChildProcess } from 'node:child_process';
import { constants, hostname } from 'node:os';
import type { Endpoints } from '../client/endpoints.js';
import { Lock } from '../client/lock.js';
import { WatchMux } from '../client/watch-mux.js';
import { registryProto } from '../proto/registry-proto.js';
import { isRosterError } from '../util/errors.js';
import { wholeNumber, type Flags } from './args.js';
import { errorText } from './error-text.js';

/** After SIGTERM, a command that has lost its lock gets this long before SIGKILL. */
const KILL_GRACE_MS = 10_000;
const FORWARDED: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

export interface LockCommand {
  readonly name: string;
  readonly exec: readonly string[];
  readonly flags: Flags;
  readonly endpoints: Endpoints;
  readonly timeoutMs: number;
}

/** A command's exit status as a shell reports it: its code, or 128 + the signal that ended it. */
function statusOf(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  const n = signal === null ? undefined : constants.signals[signal];
  return n === undefined ? 1 : 128 + n;
}

const note = (text: string): void => {
  process.stderr.write(`roster: ${text}\n`);
};

/**
 * `roster lock NAME -- CMD ARGS...`, like `consul lock`: take the lock (the SDK's Lock: a session
 * renewed at a third of its TTL), run CMD while holding it, release it when CMD exits and exit
 * with CMD's status. A lost lock (renewal finds the session gone, the lock's watch shows another
 * holder, or no server answered for a whole TTL) stops CMD and exits 1.
 */
export async function runLock(c: LockCommand): Promise<number> {
  const ttlMs = wholeNumber(c.flags['ttl-ms'], 'ttl-ms', 1000) ?? 10_000;
  const acquireWithinMs = wholeNumber(c.flags['timeout-ms'], 'timeout-ms', 1);
  const lockDelayMs = wholeNumber(c.flags['lock-delay-ms'], 'lock-delay-ms', 0);
  const node = String(c.flags.node ?? hostname());
  const key = Buffer.from(c.name);
  const mux = new WatchMux(c.endpoints);
  const value = JSON.stringify({ node, pid: process.pid, command: c.exec.join(' ') });
  const lock = new Lock(c.endpoints, mux, { name: node, address: '127.0.0.1' }, key, { value, sessionTtlMs: ttlMs, ...(lockDelayMs === undefined ? {} : { lockDelayMs }) }, c.timeoutMs);
  try {
    if (!(await acquire(c, lock, acquireWithinMs))) return 130;
    return await runHolding(c, lock, mux, ttlMs);
  } finally {
    mux.close();
    await lock.release().catch((err: unknown) => note(`releasing lock ${c.name} failed (${errorText(err)}); it frees when its session's TTL runs out`));
  }
}

/** Takes the lock; false if Ctrl-C came first. Says so once when another session holds it. */
async function acquire(c: LockCommand, lock: Lock, withinMs: number | undefined): Promise<boolean> {
  const held = await c.endpoints.unary(registryProto().roster.registry.v1.Locks, 'Get', { key: lock.key }, c.timeoutMs).catch(() => undefined);
  if (held?.lock?.session !== undefined && held.lock.session !== '') note(`waiting for lock ${c.name} (held by session ${held.lock.session})`);
  const abort = new AbortController();
  let why: 'timeout' | 'interrupt' | undefined;
  const timer = withinMs === undefined ? undefined : setTimeout(() => ((why = 'timeout'), abort.abort()), withinMs);
  const onSignal = (): void => {
    why = 'interrupt';
    abort.abort();
  };
  for (const s of FORWARDED) process.on(s, onSignal);
  try {
    await lock.acquire(abort.signal);
    return true;
  } catch (err) {
    if (!isRosterError(err, 'ABORTED')) throw err;
    if (why === 'timeout') throw new Error(`lock ${c.name} not acquired within ${withinMs} ms`, { cause: err });
    return false;
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    for (const s of FORWARDED) process.off(s, onSignal);
  }
}

/** Runs the command while the lock is held; resolves to roster's exit code. */
function runHolding(c: LockCommand, lock: Lock, mux: WatchMux, ttlMs: number): Promise<number> {
  return new Promise<number>((resolve) => {
    let lost: string | undefined;
    let killTimer: NodeJS.Timeout | undefined;
    let silentTimer: NodeJS.Timeout | undefined;
    // eslint-disable-next-line prefer-const -- assigned once below, after the handlers that use it are defined
    let child: ChildProcess;
    // A Ctrl-C on a terminal already reaches the command (same process group): passing it on
    // would make it a second one, which many programs take as "force quit".
    const forward = (s: NodeJS.Signals): void => {
      if (s === 'SIGINT' && process.stdin.isTTY) return;
      child.kill(s);
    };
    const done = (code: number): void => {
      for (const s of FORWARDED) process.off(s, forward);
      if (killTimer !== undefined) clearTimeout(killTimer);
      if (silentTimer !== undefined) clearTimeout(silentTimer);
      watch.cancel();
      resolve(code);
    };
    const loseLock = (reason: string): void => {
      if (lost !== undefined) return;
      lost = reason;
      lock.held = false;
      note(`lock ${c.name} lost (${reason}): stopping ${c.exec[0]!} with SIGTERM`);
      child.kill('SIGTERM');
      killTimer = setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS);
    };
    const heard = (): void => {
      if (silentTimer !== undefined) clearTimeout(silentTimer);
      silentTimer = undefined;
    };
    const session = lock.sessionId;
    const check = (changes: readonly { item?: { lock?: { session: string } | null } | null }[]): void => {
      heard();
      for (const ch of changes) if ((ch.item?.lock?.session ?? '') !== session) loseLock(`now ${ch.item?.lock?.session ? `held by session ${ch.item.lock.session}` : 'free'}`);
    };
    lock.once('lost', () => loseLock('its session ended'));
    const watch = mux.watch(
      { lock: { key: lock.key } },
      {
        snapshot: (_r, changes) => check(changes.length === 0 ? [{ item: null }] : changes),
        changes: (_r, changes) => check(changes),
        progress: heard,
        disconnected: () => {
          silentTimer ??= setTimeout(() => loseLock(`the lock's watch heard from no server for ${ttlMs} ms, the session's TTL`), ttlMs);
        },
        failed: (reason) => loseLock(`its watch failed: ${reason}`),
      },
      { progressIntervalMs: Math.max(500, Math.floor(ttlMs / 3)) },
    );
    child = spawn(c.exec[0]!, c.exec.slice(1), { stdio: 'inherit' });
    for (const s of FORWARDED) process.on(s, forward);
    child.once('error', (err) => {
      note(`cannot run ${c.exec[0]!}: ${err.message}`);
      done(1);
    });
    child.once('exit', (code, signal) => {
      if (lost !== undefined) {
        note(`${c.exec[0]!} stopped after lock ${c.name} was lost`);
        done(1);
      } else {
        done(statusOf(code, signal));
      }
    });
  });
}
