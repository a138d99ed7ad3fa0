import type { RegisterServiceRequest__Output } from '../../gen/agent/roster/agent/v1/RegisterServiceRequest.js';
import type { FlagSpec, FlagValues } from '../../flags/flags.js';
import { configError, shown } from './config-error.js';
import { serviceFromJson } from './service-json.js';

/** A service defined in a config file, and where: `at` is `services[2]` or `service`. */
export interface ServiceEntry {
  readonly source: string;
  readonly at: string;
  readonly request: RegisterServiceRequest__Output;
}

/** What one config file sets: flag values (keyed by flag name, as parseFlags gives them) and services. */
export interface ConfigLayer {
  readonly source: string;
  readonly values: FlagValues;
  readonly services: readonly ServiceEntry[];
}

/** Flags that are not settings: never read from a file or the environment. */
export const NOT_SETTINGS: ReadonlySet<string> = new Set(['help', 'config-file', 'config-dir']);

/** The flag a config-file key sets (data_dir -> data-dir), if `spec` has it. */
export function flagOfKey(key: string, spec: FlagSpec): string | undefined {
  if (key.includes('-')) return undefined;
  const flag = key.replace(/_/g, '-');
  return Object.hasOwn(spec, flag) && !NOT_SETTINGS.has(flag) ? flag : undefined;
}

/** A value from a file checked against the flag's kind; the reason it is refused, or the value. */
export function typedSetting(kind: FlagSpec[string]['kind'], v: unknown): { value: string | number | boolean } | { reason: string } {
  if (kind === 'bool') return typeof v === 'boolean' ? { value: v } : { reason: `expected true or false, got ${shown(v)}` };
  if (kind === 'int') return typeof v === 'number' && Number.isSafeInteger(v) ? { value: v } : { reason: `expected an integer, got ${shown(v)}` };
  return typeof v === 'string' ? { value: v } : { reason: `expected a string, got ${shown(v)}` };
}

/** JSON.parse's message on one line, with the line and column when it gives only a position. */
function parseMessage(text: string, err: unknown): string {
  const msg = (err instanceof Error ? err.message : String(err)).replace(/\s*\n\s*/g, ' ');
  const m = /at position (\d+)/.exec(msg);
  if (m === null || /line \d+/.test(msg)) return msg;
  const before = text.slice(0, Number(m[1]));
  const line = before.split('\n').length;
  return `${msg} (line ${line}, column ${before.length - before.lastIndexOf('\n')})`;
}

/**
 * One config file's text, parsed and checked: a JSON object whose keys are the agent's flags in
 * snake_case (`data_dir` for --data-dir), plus `services` (an array) and `service` (one). Every
 * error names `source` and the field.
 */
export function parseConfigFile(source: string, text: string, spec: FlagSpec): ConfigLayer {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw configError(source, undefined, `invalid JSON: ${parseMessage(text, err)}`);
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw configError(source, undefined, `expected a JSON object at the top level, got ${shown(doc)}`);
  const values: FlagValues = {};
  const services: ServiceEntry[] = [];
  for (const [key, v] of Object.entries(doc)) {
    if (key === 'services') {
      if (!Array.isArray(v)) throw configError(source, key, `expected an array of services, got ${shown(v)}`);
      v.forEach((s, i) => services.push({ source, at: `services[${i}]`, request: serviceFromJson(source, `services[${i}]`, s) }));
      continue;
    }
    if (key === 'service') {
      services.push({ source, at: 'service', request: serviceFromJson(source, 'service', v) });
      continue;
    }
    const flag = flagOfKey(key, spec);
    if (flag === undefined) {
      const asFlag = key.replace(/-/g, '_');
      const why =
        key === 'config_file' || key === 'config_dir'
          ? 'config files cannot name other config files; use --config-file / --config-dir'
          : key.includes('-') && flagOfKey(asFlag, spec) !== undefined
            ? `unknown key; keys are snake_case: did you mean ${asFlag}?`
            : 'unknown key (config keys are the agent flags in snake_case, see roster agent --help; or services, service)';
      throw configError(source, key, why);
    }
    const t = typedSetting(spec[flag]!.kind, v);
    if ('reason' in t) throw configError(source, key, t.reason);
    values[flag] = t.value;
  }
  return { source, values, services };
}
