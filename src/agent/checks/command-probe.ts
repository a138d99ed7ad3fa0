import { spawn } from 'node:child_process';
import { clip, type Probe } from './probe.js';

/**
 * A command check (Consul's script check, `args` form): the command runs without a shell, its
 * exit code is the status (0 passing, 1 warning, anything else critical, as Nagios plugins do)
 * and its stdout and stderr are the output. A run that outlives the timeout is killed (the whole
 * process group, so a script's children go too) and is critical. Agents run these only when
 * started with --enable-script-checks: anyone who can register a service could otherwise run
 * any program as the agent's user.
 */
/** Process groups of the commands running now, so an agent that stops takes them with it. */
const running = new Set<number>();

/** Kills every command check still running (the agent is stopping). */
export function killRunningCommands(): void {
  for (const pid of running) killGroup(pid);
  running.clear();
}

export function commandProbe(args: readonly string[]): Probe {
  const [cmd, ...rest] = args;
  if (cmd === undefined) throw new Error('a command check needs a command');
  return (timeoutMs) =>
    new Promise((resolve) => {
      let output = '';
      let settled = false;
      const finish = (status: 'passing' | 'warning' | 'critical', why: string): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (child.pid !== undefined) running.delete(child.pid);
        resolve({ status, output: clip(`${why}${output === '' ? '' : `\n${output}`}`) });
      };
      const child = spawn(cmd, rest, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
      if (child.pid !== undefined) running.add(child.pid);
      const collect = (d: Buffer): void => {
        // Keep a little more than the limit; clip() trims it to 4 KB at the end.
        if (output.length < 8192) output += d.toString('utf8');
      };
      child.stdout.on('data', collect);
      child.stderr.on('data', collect);
      const timer = setTimeout(() => {
        killGroup(child.pid);
        finish('critical', `command ${cmd}: timed out after ${timeoutMs} ms`);
      }, timeoutMs);
      child.once('error', (err) => finish('critical', `command ${cmd}: ${err.message}`));
      // The exit decides; output still in the pipes gets a moment (a background child the
      // script left holding stdout must not turn every run into a timeout).
      child.once('exit', (code, signal) => {
        const result = (): void => {
          if (code === 0) finish('passing', `command ${cmd}: exit 0`);
          else if (code === 1) finish('warning', `command ${cmd}: exit 1`);
          else finish('critical', `command ${cmd}: ${code === null ? `killed by ${signal ?? 'a signal'}` : `exit ${code}`}`);
        };
        const grace = setTimeout(result, 100);
        child.once('close', () => {
          clearTimeout(grace);
          result();
        });
      });
    });
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}
