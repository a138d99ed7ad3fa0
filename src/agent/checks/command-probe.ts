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
        resolve({ status, output: clip(`${why}${output === '' ? '' : `\n${output}`}`) });
      };
      const child = spawn(cmd, rest, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
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
      child.once('close', (code, signal) => {
        if (code === 0) finish('passing', `command ${cmd}: exit 0`);
        else if (code === 1) finish('warning', `command ${cmd}: exit 1`);
        else finish('critical', `command ${cmd}: ${code === null ? `killed by ${signal ?? 'a signal'}` : `exit ${code}`}`);
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
