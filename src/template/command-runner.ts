import { spawn } from 'node:child_process';

/** How a command run after a render ended. */
export type CommandOutcome = { readonly ok: true } | { readonly ok: false; readonly why: string };

/**
 * Runs `command` with sh -c, its output passed through to this process's stderr (labelled by the
 * caller's logger, not parsed). Given `timeoutMs`, it is sent SIGTERM then, and SIGKILL 2 s later.
 * Never throws: a command that cannot start, exits non-zero or times out is an outcome.
 */
export function runCommand(command: string, timeoutMs: number): Promise<CommandOutcome> {
  return new Promise((resolve) => {
    let timedOut = false;
    const child = spawn('sh', ['-c', command], { stdio: ['ignore', 'inherit', 'inherit'] });
    const kill = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 2000).unref();
    }, timeoutMs);
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
