import type { TemplateSpec } from '../../template/template-runner.js';
import { parseWaitSpec } from '../../template/wait-spec.js';
import { parseGoDuration } from '../../util/go-duration.js';
import { configError } from './config-error.js';
import type { TemplateJson } from './template-json.js';

/** A template defined in a config file, and where: `at` is `templates[0]`. */
export interface TemplateEntry {
  readonly source: string;
  readonly at: string;
  readonly template: TemplateJson;
}

/**
 * The templates of every config file as the agent runs them: durations and modes checked, each
 * destination rendered by one template only, an error naming the file and the field. They read
 * through the local agent's API, so they need it on (api_addr).
 */
export function configTemplates(entries: readonly TemplateEntry[], apiAddr: string | undefined): TemplateSpec[] {
  if (entries.length === 0) return [];
  const first = entries[0]!;
  if (apiAddr === undefined) throw configError(first.source, first.at, 'templates read through the local agent, which is off: set api_addr (or --api-addr, ROSTER_API_ADDR)');
  const destinations = new Map<string, TemplateEntry>();
  return entries.map((e) => {
    const t = e.template;
    const bad = (field: string, why: string): Error => configError(e.source, `${e.at}.${field}`, why);
    if (t.source === '') throw bad('source', 'is required: the template file');
    if (t.destination === '') throw bad('destination', 'is required: the file it renders to');
    const twice = destinations.get(t.destination);
    if (twice !== undefined) throw bad('destination', `${t.destination} is rendered by ${twice.source}: ${twice.at} too`);
    destinations.set(t.destination, e);
    const wait = t.wait === undefined ? { minMs: 0, maxMs: 0 } : parseWaitSpec(t.wait);
    if (typeof wait === 'string') throw bad('wait', wait);
    const timeout = t.command_timeout === undefined ? undefined : parseGoDuration(t.command_timeout);
    if (timeout !== undefined && timeout <= 0) throw bad('command_timeout', `must be a positive Go duration, got ${JSON.stringify(t.command_timeout)}`);
    if (t.command_timeout !== undefined && timeout === undefined) throw bad('command_timeout', `must be a Go duration (30s), got ${JSON.stringify(t.command_timeout)}`);
    if (t.perms !== undefined && !/^0?[0-7]{3}$/.test(t.perms)) throw bad('perms', `must be an octal mode such as "0644", got ${JSON.stringify(t.perms)}`);
    return {
      source: t.source,
      destination: t.destination,
      ...(t.command === undefined ? {} : { command: t.command }),
      ...(timeout === undefined ? {} : { commandTimeoutMs: timeout }),
      waitMinMs: wait.minMs,
      waitMaxMs: wait.maxMs,
      allowEmpty: t.allow_empty === true,
      ...(t.perms === undefined ? {} : { mode: parseInt(t.perms, 8) }),
    };
  });
}
