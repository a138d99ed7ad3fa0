import type { CheckDefinition__Output } from '../../gen/agent/roster/agent/v1/CheckDefinition.js';
import type { RegisterServiceRequest__Output } from '../../gen/agent/roster/agent/v1/RegisterServiceRequest.js';
import { configError, shown } from './config-error.js';

/**
 * A service definition in a config file, as JSON, to the request the agent API takes: keys as
 * proto/roster/agent.proto names them (snake_case), every type checked, unknown keys refused.
 * Only the shape is checked here; the rules (names, URLs, intervals) are service-definition.ts's.
 */

type Kind = 'string' | 'uint' | 'ms' | 'strings' | 'map';

const SERVICE_FIELDS: Readonly<Record<string, Kind | 'checks'>> = {
  id: 'string',
  name: 'string',
  port: 'uint',
  address: 'string',
  tags: 'strings',
  meta: 'map',
  checks: 'checks',
};

const CHECK_FIELDS: Readonly<Record<string, Kind>> = {
  id: 'string',
  name: 'string',
  http: 'string',
  method: 'string',
  headers: 'map',
  tcp: 'string',
  grpc: 'string',
  ttl_ms: 'ms',
  interval_ms: 'ms',
  timeout_ms: 'ms',
  success_before_passing: 'uint',
  failures_before_critical: 'uint',
  args: 'strings',
};

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** `value` checked against `kind`; throws naming `source` and `field`. */
function typed(source: string, field: string, kind: Kind, value: unknown): string | number | string[] | Record<string, string> {
  const fail = (expected: string): never => {
    throw configError(source, field, `expected ${expected}, got ${shown(value)}`);
  };
  switch (kind) {
    case 'string':
      return typeof value === 'string' ? value : fail('a string');
    case 'uint':
      return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : fail('a non-negative integer');
    case 'ms':
      return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : fail('a non-negative integer number of milliseconds');
    case 'strings':
      if (!Array.isArray(value)) return fail('an array of strings');
      value.forEach((x, i) => {
        if (typeof x !== 'string') throw configError(source, `${field}[${i}]`, `expected a string, got ${shown(x)}`);
      });
      return [...(value as string[])];
    case 'map': {
      if (!isObject(value)) return fail('an object of strings');
      for (const [k, x] of Object.entries(value)) if (typeof x !== 'string') throw configError(source, `${field}.${k}`, `expected a string, got ${shown(x)}`);
      return { ...(value as Record<string, string>) };
    }
  }
}

/** The keys of `obj`, each checked to be one of `fields`. */
function fieldsOf(source: string, at: string, obj: unknown, fields: Readonly<Record<string, unknown>>, what: string): [string, unknown][] {
  if (!isObject(obj)) throw configError(source, at, `expected ${what} (an object), got ${shown(obj)}`);
  const entries = Object.entries(obj);
  for (const [k] of entries) {
    if (!Object.hasOwn(fields, k)) throw configError(source, `${at}.${k}`, `unknown key in ${what} (known: ${Object.keys(fields).join(', ')})`);
  }
  return entries;
}

function checkFromJson(source: string, at: string, obj: unknown): CheckDefinition__Output {
  const c: CheckDefinition__Output = { id: '', name: '', http: '', tcp: '', grpc: '', ttlMs: 0, intervalMs: 0, timeoutMs: 0, successBeforePassing: 0, failuresBeforeCritical: 0, method: '', headers: {}, args: [] };
  for (const [k, v] of fieldsOf(source, at, obj, CHECK_FIELDS, 'a check')) {
    const value = typed(source, `${at}.${k}`, CHECK_FIELDS[k]!, v);
    const key = k.replace(/_([a-z])/g, (_m, ch: string) => ch.toUpperCase()) as keyof CheckDefinition__Output;
    (c as unknown as Record<string, unknown>)[key] = value;
  }
  return c;
}

/** One service definition (`at` is its place in the file, e.g. `services[0]`) as a RegisterService request. */
export function serviceFromJson(source: string, at: string, obj: unknown): RegisterServiceRequest__Output {
  const service = { id: '', name: '', port: 0, address: '', tags: [] as string[], meta: {} as Record<string, string> };
  let checks: CheckDefinition__Output[] = [];
  for (const [k, v] of fieldsOf(source, at, obj, SERVICE_FIELDS, 'a service')) {
    if (k === 'checks') {
      if (!Array.isArray(v)) throw configError(source, `${at}.checks`, `expected an array of checks, got ${shown(v)}`);
      checks = v.map((c, i) => checkFromJson(source, `${at}.checks[${i}]`, c));
      continue;
    }
    (service as Record<string, unknown>)[k] = typed(source, `${at}.${k}`, SERVICE_FIELDS[k] as Kind, v);
  }
  return { service, checks };
}
