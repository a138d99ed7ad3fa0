import type { CheckTargetPolicy } from '../../agent/checks/check-targets.js';
import type { RegisterServiceRequest__Output } from '../../gen/agent/roster/agent/v1/RegisterServiceRequest.js';
import { DefinitionError, formatFieldPath, validateRegistration, type FieldPath, type ValidRegistration } from '../../agent/local/service-definition.js';
import { configError } from './config-error.js';
import type { ServiceEntry } from './config-file.js';

export interface ServiceOptions {
  /** The agent's --api-addr, if any: services are registered through the local agent. */
  readonly apiAddr: string | undefined;
  /** --enable-script-checks: whether checks with args may run. */
  readonly enableScriptChecks: boolean;
  /** --check-allowed-hosts, held to the files' checks as to the API's. */
  readonly checkTargets?: CheckTargetPolicy;
}

/** A definition's field as the config file spells it: ['service', 'name'] is the service entry's `name`. */
function fieldIn(entry: ServiceEntry, path: FieldPath): string {
  const inner = path[0] === 'service' ? path.slice(1) : path;
  return inner.length === 0 ? entry.at : `${entry.at}.${formatFieldPath(inner)}`;
}

/**
 * The services of every config file, checked with the agent API's own rules (service-definition.ts)
 * and against each other: a service id, or a check id, defined twice is an error naming both
 * places. Services need the local agent: without --api-addr they are an error.
 */
export function configServices(entries: readonly ServiceEntry[], o: ServiceOptions): RegisterServiceRequest__Output[] {
  if (entries.length === 0) return [];
  const first = entries[0]!;
  if (o.apiAddr === undefined) throw configError(first.source, first.at, 'services are registered with the local agent, which is off: set api_addr (or --api-addr, ROSTER_API_ADDR)');
  const services = new Map<string, ServiceEntry>();
  const checks = new Map<string, { entry: ServiceEntry; i: number }>();
  for (const entry of entries) {
    let valid: ValidRegistration;
    try {
      valid = validateRegistration(entry.request, { enableScriptChecks: o.enableScriptChecks, ...(o.checkTargets === undefined ? {} : { checkTargets: o.checkTargets }) });
    } catch (err) {
      if (err instanceof DefinitionError) throw configError(entry.source, fieldIn(entry, err.path), err.reason);
      throw err;
    }
    const id = valid.service.id;
    const twin = services.get(id);
    if (twin !== undefined) throw configError(entry.source, entry.at, `service id ${JSON.stringify(id)} is already defined in ${twin.source} (${twin.at})`);
    services.set(id, entry);
    valid.checks.forEach((c, i) => {
      const other = checks.get(c.id);
      if (other !== undefined) throw configError(entry.source, `${entry.at}.checks[${i}].id`, `check id ${JSON.stringify(c.id)} is already defined in ${other.entry.source} (${other.entry.at}.checks[${other.i}])`);
      checks.set(c.id, { entry, i });
    });
  }
  return entries.map((e) => e.request);
}
