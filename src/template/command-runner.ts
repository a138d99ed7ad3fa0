import { spawn } from 'node:child_process';

/** The longest time limit a command may have (a timer's limit: 2^31 - 1 ms, about 24 days). */
export const MAX_COMMAND_TIMEOUT_MS = 2_147_483_647;

/** How a command run after a render ended. */
export type CommandOutcome = { readonly ok: true } | { readonly ok: false; readonly why: string };

/**
 * Runs `command` with sh -c in a process group of its own, its output passed through to this
 * process's. After `timeoutMs` (at most MAX_COMMAND_TIMEOUT_MS) the whole group is sent SIGTERM,
 * and SIGKILL 2 s later: what the command started goes too. Never throws: a command that cannot
 * start, exits non-zero or times out is an outcome.
 */
export function runCommand(command: string, timeoutMs: number): Promise<CommandOutcome> {
  return new Promise((resolve) => {
    let timedOut = false;
    const child = spawn('sh', ['-c', command], { stdio: ['ignore', 'inherit', 'inherit'], detached: true });
    const signalGroup = (signal: NodeJS.Signals): void => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, signal);
      } catch {
        // already gone
      }
    };
    const kill = setTimeout(() => {
      timedOut = true;
      signalGroup('SIGTERM');
      setTimeout(() => signalGroup('SIGKILL'), 2000).unref();
    }, Math.min(timeoutMs, MAX_COMMAND_TIMEOUT_MS));
    child.once('error', (err) => {
      clearTimeout(kill);
      resolve({ ok: false, why: `could not start: ${err.message}` });
    });
    child.once('exit', (code, signal) => {
      clearTimeout(kill);
      if (timedOut) resolve({ ok: false, why: `timed out after ${timeoutMs} ms` });
      else if (code === 0) resolve({ ok: true });
      else resolve({ ok: false, why: code === null ? `killed by ${signal ?? 'a signal'}` : `exit code ${code}` });
    });
  });
}
