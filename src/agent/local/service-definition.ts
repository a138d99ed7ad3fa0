import type { CheckTargetPolicy } from '../checks/check-targets.js';
import { splitHostPort } from '../../util/host-port.js';
import type { CheckDefinition__Output } from '../../gen/agent/roster/agent/v1/CheckDefinition.js';
import type { RegisterServiceRequest__Output } from '../../gen/agent/roster/agent/v1/RegisterServiceRequest.js';
import { REGISTRY_LIMITS } from '../../store/registry/validate.js';
import { RosterError } from '../../util/errors.js';
import type { CheckSchedule } from '../checks/check-runner.js';
import type { LocalService } from './local-state.js';
import { isHostPort } from '../../util/host-port.js';

/**
 * The rules for a service definition and its checks, as the agent API's RegisterService and the
 * agent's config files share them: pure, no I/O, no clocks. The input is the request with every
 * default filled in (what proto-loader gives with `defaults: true`); the output says exactly what
 * to run, with the defaults resolved.
 */

/** Service names and ids, check ids: what the catalog accepts as a name. */
export const DEFINITION_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.:-]{0,127}$/;
const NAME_RULE = 'must be 1-128 letters, digits, . _ : or -';
/** The methods an HTTP check may use (given in any case). */
const HTTP_CHECK_METHODS: readonly string[] = ['GET', 'HEAD', 'POST', 'PUT', 'OPTIONS'];
/** RFC 9110 token: a header name. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

const CHECK_DEFAULTS = { intervalMs: 10_000, maxTimeoutMs: 5000, minIntervalMs: 100, method: 'GET' } as const;

/** A field inside a definition, as the proto names it: ['checks', 1, 'interval_ms']. */
export type FieldPath = readonly (string | number)[];

/** 'checks[1].interval_ms' for ['checks', 1, 'interval_ms']. */
export function formatFieldPath(path: FieldPath): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

/**
 * A definition that breaks a rule; `path` names the field, `reason` says what is wrong with it.
 * `code` is INVALID_ARGUMENT, or FAILED_PRECONDITION for what this agent does not allow (command
 * checks without --enable-script-checks).
 */
export class DefinitionError extends RosterError {
  constructor(
    readonly path: FieldPath,
    readonly reason: string,
    code: 'INVALID_ARGUMENT' | 'FAILED_PRECONDITION' = 'INVALID_ARGUMENT',
  ) {
    super(code, `${formatFieldPath(path)}: ${reason}`, { field: formatFieldPath(path) });
    this.name = 'DefinitionError';
  }
}

/** What a check probes: exactly one kind per check. 'command' runs `args` (exit 0 passing, 1 warning, else critical). */
export type CheckTarget =
  | { readonly type: 'ttl'; readonly ttlMs: number }
  | { readonly type: 'http'; readonly url: string; readonly method: string; readonly headers: Readonly<Record<string, string>> }
  | { readonly type: 'tcp'; readonly addr: string }
  | { readonly type: 'grpc'; readonly addr: string; readonly service: string }
  | { readonly type: 'command'; readonly args: readonly string[] };

export interface ValidCheck {
  readonly id: string;
  readonly name: string;
  readonly serviceId: string;
  readonly target: CheckTarget;
  /** How often the agent probes it; undefined for a TTL check (the application reports it). */
  readonly schedule: CheckSchedule | undefined;
  /** Consul's DeregisterCriticalServiceAfter: the service goes once this check has been critical this long. */
  readonly deregisterCriticalAfterMs?: number;
}

/** The shortest DeregisterCriticalServiceAfter taken (Consul's is a minute; shorter is allowed here, checked every second). */
export const MIN_DEREGISTER_CRITICAL_MS = 1000;


export interface ValidRegistration {
  /** Exactly what the agent's local state holds. */
  readonly service: LocalService;
  readonly checks: readonly ValidCheck[];
}

export interface DefinitionOptions {
  /** Whether checks with `args` (commands) may run on this agent (--enable-script-checks). */
  readonly enableScriptChecks: boolean;
  /** Where HTTP, TCP and gRPC checks may go (--check-allowed-hosts); default anywhere. */
  readonly checkTargets?: CheckTargetPolicy;
}

/** A check whose host can never be reached under --check-allowed-hosts is refused when registered. */
function checkHostAllowed(host: string, o: DefinitionOptions, field: FieldPath): void {
  const refused = o.checkTargets?.refusal(host);
  if (refused !== undefined) throw new DefinitionError(field, refused, 'FAILED_PRECONDITION');
}

/** Checks a registration against every rule; throws a DefinitionError naming the first bad field. */
export function validateRegistration(r: RegisterServiceRequest__Output, o: DefinitionOptions): ValidRegistration {
  const s = r.service;
  if (s === null) throw new DefinitionError(['service'], 'is required');
  if (!DEFINITION_NAME.test(s.name)) throw new DefinitionError(['service', 'name'], `${NAME_RULE}, got ${JSON.stringify(s.name)}`);
  const id = s.id === '' ? s.name : s.id;
  if (!DEFINITION_NAME.test(id)) throw new DefinitionError(['service', 'id'], `${NAME_RULE}, got ${JSON.stringify(id)}`);
  if (!(Number.isInteger(s.port) && s.port >= 0 && s.port <= 65_535)) throw new DefinitionError(['service', 'port'], `must be 0-65535, got ${s.port}`);
  checkCatalogLimits(s);
  if (r.checks.length > REGISTRY_LIMITS.checksPerRegistration - 1) {
    // One place is kept for the service's maintenance check.
    throw new DefinitionError(['checks'], `at most ${REGISTRY_LIMITS.checksPerRegistration - 1} checks, got ${r.checks.length}`);
  }
  const checks = r.checks.map((c, i) => validateCheck(id, c, ['checks', i], o));
  const seen = new Map<string, number>();
  checks.forEach((c, i) => {
    const first = seen.get(c.id);
    if (first !== undefined) throw new DefinitionError(['checks', i, 'id'], `${JSON.stringify(c.id)} is also the id of checks[${first}]: check ids must be unique`);
    seen.set(c.id, i);
  });
  const w = s.weights;
  if (w !== null && w !== undefined) {
    if (!(Number.isInteger(w.passing) && w.passing >= 0 && w.passing <= 65_535)) throw new DefinitionError(['service', 'weights', 'passing'], `must be 1-65535, got ${w.passing}`);
    if (!(Number.isInteger(w.warning) && w.warning >= 0 && w.warning <= 65_535)) throw new DefinitionError(['service', 'weights', 'warning'], `must be 0-65535, got ${w.warning}`);
  }
  const weights = w === null || w === undefined ? {} : { weights: { passing: w.passing === 0 ? 1 : w.passing, warning: w.warning } };
  return { service: { id, name: s.name, port: s.port, address: s.address, tags: [...s.tags], meta: { ...s.meta }, ...weights }, checks };
}

const utf8Bytes = (v: string): number => Buffer.byteLength(v, 'utf8');

/**
 * The catalog's own limits (REGISTRY_LIMITS), checked here too: a registration the agent
 * accepted and the catalog then refused would leave anti-entropy retrying it forever while the
 * application believes it is registered.
 */
function checkCatalogLimits(s: NonNullable<RegisterServiceRequest__Output['service']>): void {
  const L = REGISTRY_LIMITS;
  if (s.tags.length > L.tags) throw new DefinitionError(['service', 'tags'], `at most ${L.tags} tags, got ${s.tags.length}`);
  s.tags.forEach((t, i) => {
    if (utf8Bytes(t) > L.tagBytes) throw new DefinitionError(['service', 'tags', i], `longer than ${L.tagBytes} bytes`);
  });
  if (utf8Bytes(s.address) > L.addressBytes) throw new DefinitionError(['service', 'address'], `longer than ${L.addressBytes} bytes`);
  const meta = Object.entries(s.meta);
  if (meta.length > L.metaPairs) throw new DefinitionError(['service', 'meta'], `at most ${L.metaPairs} pairs, got ${meta.length}`);
  for (const [k, v] of meta) {
    if (k.length === 0 || utf8Bytes(k) > L.metaKeyBytes) throw new DefinitionError(['service', 'meta', k], `keys must be 1-${L.metaKeyBytes} bytes`);
    if (utf8Bytes(v) > L.metaValueBytes) throw new DefinitionError(['service', 'meta', k], `longer than ${L.metaValueBytes} bytes`);
  }
}

/**
 * A check registered on its own (RegisterCheck): on the node (serviceId '') or on a service. As
 * in Consul its name is required and its id defaults to the name.
 */
export function validateCheckRegistration(serviceId: string, d: CheckDefinition__Output, o: DefinitionOptions): ValidCheck {
  if (d.name === '') throw new DefinitionError(['check', 'name'], 'is required');
  return validateCheck(serviceId, { ...d, id: d.id === '' ? d.name : d.id }, ['check'], o);
}

/** One check of service `serviceId`, at `base` in its registration (['checks', i]). */
function validateCheck(serviceId: string, d: CheckDefinition__Output, base: FieldPath, o: DefinitionOptions): ValidCheck {
  const at = (field?: string): FieldPath => (field === undefined ? base : [...base, field]);
  const kinds = [d.http !== '' ? 'http' : '', d.tcp !== '' ? 'tcp' : '', d.grpc !== '' ? 'grpc' : '', d.ttlMs > 0 ? 'ttl' : '', d.args.length > 0 ? 'command' : ''].filter((k) => k !== '');
  if (kinds.length !== 1) throw new DefinitionError(at(), `give exactly one of http, tcp, grpc, ttl_ms or args${kinds.length > 1 ? ` (got ${kinds.join(' and ')})` : ''}`);
  const type = kinds[0] as CheckTarget['type'];
  const id = d.id === '' ? `${serviceId}:${type}` : d.id;
  if (!DEFINITION_NAME.test(id) || id.startsWith('_')) throw new DefinitionError(at('id'), `${NAME_RULE}, not starting with _ (kept for maintenance checks), got ${JSON.stringify(id)}`);
  const name = d.name === '' ? `${type} check` : d.name;
  if (type !== 'http') {
    if (d.method !== '') throw new DefinitionError(at('method'), 'is only for http checks');
    if (Object.keys(d.headers).length > 0) throw new DefinitionError(at('headers'), 'are only for http checks');
  }
  const after = Number(d.deregisterCriticalServiceAfterMs ?? 0);
  if (after !== 0 && (!Number.isSafeInteger(after) || after < MIN_DEREGISTER_CRITICAL_MS)) throw new DefinitionError(at('deregister_critical_service_after_ms'), `must be 0 (never) or at least ${MIN_DEREGISTER_CRITICAL_MS}, got ${after}`);
  const reap = after === 0 ? {} : { deregisterCriticalAfterMs: after };
  if (type === 'ttl') return { id, name, serviceId, target: { type, ttlMs: d.ttlMs }, schedule: undefined, ...reap };
  let target: CheckTarget;
  if (type === 'http') {
    if (!/^https?:\/\/\S+$/.test(d.http)) throw new DefinitionError(at('http'), `must be an http(s) URL, got ${JSON.stringify(d.http)}`);
    const method = d.method === '' ? CHECK_DEFAULTS.method : d.method.toUpperCase();
    if (!HTTP_CHECK_METHODS.includes(method)) throw new DefinitionError(at('method'), `must be ${HTTP_CHECK_METHODS.slice(0, -1).join(', ')} or ${HTTP_CHECK_METHODS.at(-1)!}, got ${JSON.stringify(d.method)}`);
    for (const [k, v] of Object.entries(d.headers)) {
      if (!HEADER_NAME.test(k)) throw new DefinitionError(at('headers'), `${JSON.stringify(k)} is not a valid header name`);
      if (/[\r\n\0]/.test(v)) throw new DefinitionError(at('headers'), `the value of ${JSON.stringify(k)} may not contain CR, LF or NUL`);
    }
    let host: string;
    try {
      host = new URL(d.http).hostname;
    } catch {
      throw new DefinitionError(at('http'), `must be an http(s) URL, got ${JSON.stringify(d.http)}`);
    }
    checkHostAllowed(host, o, at('http'));
    target = { type, url: d.http, method, headers: { ...d.headers } };
  } else if (type === 'tcp') {
    if (!isHostPort(d.tcp)) throw new DefinitionError(at('tcp'), `must be host:port, got ${JSON.stringify(d.tcp)}`);
    checkHostAllowed(splitHostPort(d.tcp).host, o, at('tcp'));
    target = { type, addr: d.tcp };
  } else if (type === 'grpc') {
    const [addr = '', service = ''] = d.grpc.split('/', 2);
    if (!isHostPort(addr)) throw new DefinitionError(at('grpc'), `must be host:port[/service], got ${JSON.stringify(d.grpc)}`);
    checkHostAllowed(splitHostPort(addr).host, o, at('grpc'));
    target = { type, addr, service };
  } else {
    if (!o.enableScriptChecks) throw new DefinitionError(at('args'), 'command checks are off on this agent (start it with --enable-script-checks)', 'FAILED_PRECONDITION');
    if (d.args[0] === '') throw new DefinitionError([...at('args'), 0], 'must name a command');
    target = { type, args: [...d.args] };
  }
  const intervalMs = d.intervalMs === 0 ? CHECK_DEFAULTS.intervalMs : d.intervalMs;
  const timeoutMs = d.timeoutMs === 0 ? Math.min(CHECK_DEFAULTS.maxTimeoutMs, intervalMs) : d.timeoutMs;
  if (intervalMs < CHECK_DEFAULTS.minIntervalMs) throw new DefinitionError(at('interval_ms'), `must be at least ${CHECK_DEFAULTS.minIntervalMs}, got ${intervalMs}`);
  if (timeoutMs > intervalMs) throw new DefinitionError(at('timeout_ms'), `cannot exceed interval_ms (${intervalMs}), got ${timeoutMs}`);
  return { id, name, serviceId, target, schedule: { intervalMs, timeoutMs, successBeforePassing: d.successBeforePassing, failuresBeforeCritical: d.failuresBeforeCritical }, ...reap };
}
