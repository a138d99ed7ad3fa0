import type { Endpoints } from '../client/endpoints.js';
import { TemplateRunner, type TemplateSpec } from '../template/template-runner.js';
import { parseWaitSpec } from '../template/wait-spec.js';
import type { Logger } from '../util/logger.js';
import { wholeNumber, type Flags } from './args.js';
import { UsageError } from './usage-error.js';

export interface TemplateCommand {
  readonly args: readonly string[];
  readonly flags: Flags;
  readonly endpoints: Endpoints;
}

/** --wait MIN:MAX (or MIN alone, as consul-template: MAX is then 4 x MIN) in milliseconds. */
export function parseWait(text: string): { minMs: number; maxMs: number } {
  const wait = parseWaitSpec(text);
  if (typeof wait === 'string') throw new UsageError(`--${wait}`);
  return wait;
}

/** Log lines on stderr, one JSON object each, as the agent writes them. */
const stderrLogger: Logger = {
  debug: () => undefined,
  info: (msg, fields) => process.stderr.write(`${JSON.stringify({ level: 'info', msg, ...fields })}\n`),
  warn: (msg, fields) => process.stderr.write(`${JSON.stringify({ level: 'warn', msg, ...fields })}\n`),
  error: (msg, fields) => process.stderr.write(`${JSON.stringify({ level: 'error', msg, ...fields })}\n`),
};

/**
 * `roster template TEMPLATE DEST`: a TemplateRunner until Ctrl-C or SIGTERM, or with --once
 * until its first render is written and --exec has run (exit 1 if it failed).
 */
export async function runTemplate(c: TemplateCommand): Promise<number> {
  const [source, destination] = c.args as [string, string];
  const wait = c.flags.wait === undefined ? { minMs: 0, maxMs: 0 } : parseWait(String(c.flags.wait));
  const timeout = wholeNumber(c.flags['exec-timeout-ms'], 'exec-timeout-ms', 1);
  const spec: TemplateSpec = {
    source,
    destination,
    ...(c.flags.exec === undefined ? {} : { command: String(c.flags.exec) }),
    ...(timeout === undefined ? {} : { commandTimeoutMs: timeout }),
    waitMinMs: wait.minMs,
    waitMaxMs: wait.maxMs,
    allowEmpty: c.flags['allow-empty'] === true,
  };
  const once = c.flags.once === true;
  const runner = new TemplateRunner(spec, { endpoints: c.endpoints, logger: stderrLogger, dry: c.flags.dry === true, once });
  await runner.start();
  if (once) {
    const outcome = await runner.firstWriteDone();
    runner.stop();
    if (!outcome.ok) process.stderr.write(`roster: --exec failed: ${outcome.why}\n`);
    return outcome.ok ? 0 : 1;
  }
  return new Promise<number>((resolve) => {
    const stop = (): void => {
      runner.stop();
      resolve(0);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
