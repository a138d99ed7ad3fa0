import type { CheckDefinition } from '../../gen/agent/roster/agent/v1/CheckDefinition.js';
import type { RegisterCheckRequest } from '../../gen/agent/roster/agent/v1/RegisterCheckRequest.js';
import type { RegisterServiceRequest } from '../../gen/agent/roster/agent/v1/RegisterServiceRequest.js';
import { parseGoDuration } from '../../util/go-duration.js';
import { HttpError } from './consul-errors.js';

type Json = Record<string, unknown>;

/** Consul decodes definitions without regard to case ("Name", "name"): keys lowered, one level. */
function lowered(v: unknown, what: string): Json {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new HttpError(400, `Request decode failed: ${what} must be an object`);
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k.toLowerCase().replaceAll('_', ''), x]));
}

const str = (o: Json, k: string, what: string): string => {
  const v = o[k];
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') throw new HttpError(400, `Request decode failed: ${what}.${k}: want a string`);
  return v;
};

const strings = (o: Json, k: string, what: string): string[] => {
  const v = o[k];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw new HttpError(400, `Request decode failed: ${what}.${k}: want a list of strings`);
  return v;
};

const stringMap = (o: Json, k: string, what: string): Record<string, string> => {
  const v = o[k];
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v) || !Object.values(v as Json).every((x) => typeof x === 'string')) throw new HttpError(400, `Request decode failed: ${what}.${k}: want an object of strings`);
  return v as Record<string, string>;
};

/** A Go duration ("10s") or, as Consul also takes, a number of nanoseconds; 0 when absent. */
function durationMs(o: Json, k: string, what: string): number {
  const v = o[k];
  if (v === undefined || v === null || v === '') return 0;
  const ms = typeof v === 'number' ? v / 1e6 : typeof v === 'string' ? parseGoDuration(v) : undefined;
  if (ms === undefined || ms < 0) throw new HttpError(400, `Request decode failed: ${what}.${k}: ${JSON.stringify(v)} is not a duration such as "10s"`);
  return Math.round(ms);
}

function wholeNumber(o: Json, k: string, what: string, max: number): number {
  const v = o[k];
  if (v === undefined || v === null) return 0;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max) throw new HttpError(400, `Request decode failed: ${what}.${k}: want a whole number from 0 to ${max}`);
  return v;
}

/**
 * Consul's check definition for PUT /v1/agent/check/register: the check, the service it is on
 * (ServiceID, '' for the node) and the status it starts in (Status, default critical).
 */
export function checkRegistrationOf(body: unknown): RegisterCheckRequest {
  const d = lowered(body ?? {}, 'check');
  const status = str(d, 'status', 'check');
  if (status !== '' && !['passing', 'warning', 'critical'].includes(status)) throw new HttpError(400, `Request decode failed: check.Status: "${status}" is not passing, warning or critical`);
  return { check: checkOf(body, 'check'), serviceId: str(d, 'serviceid', 'check'), status };
}

/** One of Consul's check definitions as the agent's. */
function checkOf(raw: unknown, what: string): CheckDefinition {
  const c = lowered(raw, what);
  const headers: Record<string, string> = {};
  if (c.header !== undefined && c.header !== null) {
    const h = c.header;
    if (typeof h !== 'object' || Array.isArray(h)) throw new HttpError(400, `Request decode failed: ${what}.Header: want an object of lists`);
    for (const [name, values] of Object.entries(h as Json)) {
      if (!Array.isArray(values) || !values.every((x) => typeof x === 'string')) throw new HttpError(400, `Request decode failed: ${what}.Header.${name}: want a list of strings`);
      headers[name] = values.join(', ');
    }
  }
  return {
    id: str(c, 'checkid', what) || str(c, 'id', what),
    name: str(c, 'name', what),
    http: str(c, 'http', what),
    tcp: str(c, 'tcp', what),
    grpc: str(c, 'grpc', what),
    ttlMs: durationMs(c, 'ttl', what),
    intervalMs: durationMs(c, 'interval', what),
    timeoutMs: durationMs(c, 'timeout', what),
    successBeforePassing: wholeNumber(c, 'successbeforepassing', what, 1000),
    failuresBeforeCritical: wholeNumber(c, 'failuresbeforecritical', what, 1000),
    method: str(c, 'method', what),
    headers,
    args: strings(c, 'args', what),
    deregisterCriticalServiceAfterMs: durationMs(c, 'deregistercriticalserviceafter', what),
  };
}

/**
 * Consul's service definition (PUT /v1/agent/service/register) as the agent's registration:
 * ID, Name, Tags, Address, Port, Meta, Check and Checks (HTTP, TCP, GRPC, TTL, Args, Interval and
 * Timeout as Go durations). The agent validates it further, as it does its gRPC registrations.
 */
export function registrationOf(body: unknown): RegisterServiceRequest {
  const d = lowered(body ?? {}, 'service');
  const port = d.port ?? 0;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65535) throw new HttpError(400, 'Request decode failed: Port: want a port number (0-65535)');
  const checks = [...(d.check === undefined || d.check === null ? [] : [checkOf(d.check, 'Check')]), ...(d.checks === undefined || d.checks === null ? [] : Array.isArray(d.checks) ? d.checks.map((c, i) => checkOf(c, `Checks[${i}]`)) : [checkOf(d.checks, 'Checks')])];
  // Consul's check ids: service:ID, or service:ID:N when there are several.
  const serviceId = str(d, 'id', 'service') || str(d, 'name', 'service');
  checks.forEach((c, i) => {
    if (c.id === '') c.id = checks.length === 1 ? `service:${serviceId}` : `service:${serviceId}:${i + 1}`;
  });
  const w = d.weights === undefined || d.weights === null ? undefined : lowered(d.weights, 'Weights');
  const weights = w === undefined ? {} : { weights: { passing: wholeNumber(w, 'passing', 'Weights', 65_535) || 1, warning: w.warning === undefined ? 1 : wholeNumber(w, 'warning', 'Weights', 65_535) } };
  return {
    service: { id: str(d, 'id', 'service'), name: str(d, 'name', 'service'), port, address: str(d, 'address', 'service'), tags: strings(d, 'tags', 'service'), meta: stringMap(d, 'meta', 'service'), ...weights },
    checks,
  };
}
