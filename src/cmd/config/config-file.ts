import { z } from 'zod';
import type { RegisterServiceRequest__Output } from '../../gen/agent/roster/agent/v1/RegisterServiceRequest.js';
import type { FlagSpec, FlagValues } from '../../flags/flags.js';
import { fileKeyOf } from './config-args.js';
import { flagOfKey } from './settings.js';
import { configError, shown } from './config-error.js';
import { configIssueError } from './config-issue.js';
import { expecting, jsonString } from './json-schemas.js';
import { SERVICE_JSON } from './service-json.js';
import { TEMPLATE_JSON } from './template-json.js';
import type { TemplateEntry } from './config-templates.js';

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
  readonly templates: readonly TemplateEntry[];
}

type Setting = string | number | boolean;

/** What a file may give a flag of each kind, refused in the words the environment's errors use. */
const SETTING_JSON: Readonly<Record<FlagSpec[string]['kind'], z.ZodType<Setting>>> = {
  bool: z.boolean(expecting('true or false')),
  int: z.int(expecting('an integer')),
  string: jsonString,
};

/** Why a top-level key is refused: it names no setting of `spec`. */
function unknownKeyReason(key: string, spec: FlagSpec): string {
  const asFlag = key.replace(/-/g, '_');
  if (key === 'config_file' || key === 'config_dir') return 'config files cannot name other config files; use --config-file / --config-dir';
  if (key.includes('-') && flagOfKey(asFlag, spec) !== undefined) return `unknown key; keys are snake_case: did you mean ${asFlag}?`;
  return 'unknown key (config keys are the agent flags in snake_case, see roster agent --help; or services, service, templates)';
}

/** A config file's schema for the flags of `spec`, and which flag each of its setting keys sets. */
function configFileSchema(spec: FlagSpec) {
  const settings: Record<string, z.ZodOptional<z.ZodType<Setting>>> = {};
  const flagOf = new Map<string, string>();
  for (const [flag, s] of Object.entries(spec)) {
    const key = fileKeyOf(flag);
    if (flagOfKey(key, spec) !== flag) continue; // not a setting (help, config-file): an unknown key
    settings[key] = SETTING_JSON[s.kind].optional();
    flagOf.set(key, flag);
  }
  const schema = z.strictObject(
    { ...settings, services: z.array(SERVICE_JSON, expecting('an array of services')).optional(), service: SERVICE_JSON.optional(), templates: z.array(TEMPLATE_JSON, expecting('an array of templates')).optional() },
    { error: (issue) => (issue.code === 'unrecognized_keys' ? unknownKeyReason(issue.keys[0] ?? '', spec) : `expected a JSON object at the top level, got ${shown(issue.input)}`) },
  );
  return { schema, flagOf };
}

const schemas = new WeakMap<FlagSpec, ReturnType<typeof configFileSchema>>();

/** configFileSchema(spec), built once per flag table (the agent has one) rather than once per file. */
function schemaFor(spec: FlagSpec): ReturnType<typeof configFileSchema> {
  const known = schemas.get(spec);
  if (known !== undefined) return known;
  const built = configFileSchema(spec);
  schemas.set(spec, built);
  return built;
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
 * snake_case (`data_dir` for --data-dir), plus `services` (an array), `service` (one) and
 * `templates` (files the agent renders). Every
 * error names `source` and the field.
 */
export function parseConfigFile(source: string, text: string, spec: FlagSpec): ConfigLayer {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw configError(source, undefined, `invalid JSON: ${parseMessage(text, err)}`);
  }
  const built = schemaFor(spec);
  const parsed = built.schema.safeParse(doc);
  if (!parsed.success) throw configIssueError(source, doc, parsed.error.issues);
  // Setting keys come from `spec`, so zod's type of the result has only services and service;
  // the schema checked each setting against its flag's kind.
  const settings = parsed.data as Readonly<Record<string, Setting | undefined>>;
  const values: FlagValues = {};
  const services: ServiceEntry[] = [];
  const templates: TemplateEntry[] = [];
  // In the file's order: a file's services are registered, and reported as duplicates, as written.
  for (const key of doc !== null && typeof doc === 'object' ? Object.keys(doc) : []) {
    const flag = built.flagOf.get(key);
    const value = settings[key];
    if (key === 'services') parsed.data.services?.forEach((request, i) => services.push({ source, at: `services[${i}]`, request }));
    else if (key === 'service' && parsed.data.service !== undefined) services.push({ source, at: 'service', request: parsed.data.service });
    else if (key === 'templates') parsed.data.templates?.forEach((template, i) => templates.push({ source, at: `templates[${i}]`, template }));
    else if (flag !== undefined && value !== undefined) values[flag] = value;
  }
  return { source, values, services, templates };
}
