import type { AcquireRequest__Output } from '../../gen/registry/roster/registry/v1/AcquireRequest.js';
import type { CreateSessionRequest__Output } from '../../gen/registry/roster/registry/v1/CreateSessionRequest.js';
import type { GetLockRequest__Output } from '../../gen/registry/roster/registry/v1/GetLockRequest.js';
import type { NodeServicesRequest__Output } from '../../gen/registry/roster/registry/v1/NodeServicesRequest.js';
import type { RegisterRequest__Output } from '../../gen/registry/roster/registry/v1/RegisterRequest.js';
import type { ReleaseRequest__Output } from '../../gen/registry/roster/registry/v1/ReleaseRequest.js';
import { permissionDenied, type Authorizer, type Decision } from '../../store/acl/authorizer.js';
import { keyRangeRead, keyReadBytes, keyWriteBytes } from '../../store/acl/key-ranges.js';
import type { CheckRecord } from '../../store/registry/records.js';
import type { AccessRule } from './access-rules.js';

/**
 * The registry under Consul's rules. What the request names is checked before the handler
 * runs; what only the stored state tells (whose service a check is, which node a session is
 * on) is checked by the handler with `requireAll` ('handler' rules below); lists are filtered
 * to what the token may read, never refused whole, as Consul does.
 */
export const HANDLER_CHECKS: AccessRule = () => [];

/** Catalog Register: service:write for its service, node:write for the node (unless only services change) and for node checks. */
function registerNeeds(req: unknown, authz: Authorizer): Decision[] {
  const r = req as RegisterRequest__Output;
  const node = r.node?.name ?? '';
  const out: Decision[] = [];
  if (!r.skipNodeUpdate) out.push(authz.nodeWrite(node));
  if (r.service !== null) out.push(authz.serviceWrite(r.service.name));
  for (const c of r.checks) {
    // A check of the service registered with it is covered by service:write; any other needs node:write.
    const ofThisService = r.service !== null && c.serviceId !== '' && c.serviceId === (r.service.id === '' ? r.service.name : r.service.id);
    if (!ofThisService) out.push(authz.nodeWrite(node));
  }
  return out;
}

export const CATALOG_ACCESS: Record<'Register' | 'Deregister' | 'ListServices' | 'ListNodes' | 'NodeServices', AccessRule> = {
  Register: registerNeeds,
  // Which service a service id or check id belongs to is in the state: the handler checks.
  Deregister: HANDLER_CHECKS,
  ListServices: HANDLER_CHECKS,
  ListNodes: HANDLER_CHECKS,
  NodeServices: (req, authz) => [authz.nodeRead((req as NodeServicesRequest__Output).node)],
};

export const HEALTH_ACCESS: Record<'ServiceInstances' | 'Checks' | 'UpdateTtl', AccessRule> = {
  // Filtered by the handler (service:read on it, node:read on each instance's node), as Consul.
  ServiceInstances: HANDLER_CHECKS,
  Checks: HANDLER_CHECKS,
  UpdateTtl: HANDLER_CHECKS,
};

export const SESSION_ACCESS: Record<'Create' | 'Destroy' | 'Renew' | 'Info' | 'List', AccessRule> = {
  Create: (req, authz) => [authz.sessionWrite((req as CreateSessionRequest__Output).node)],
  // A session's node is in the state.
  Destroy: HANDLER_CHECKS,
  Renew: HANDLER_CHECKS,
  Info: HANDLER_CHECKS,
  List: HANDLER_CHECKS,
};

export const LOCK_ACCESS: Record<'Acquire' | 'Release' | 'Get', AccessRule> = {
  Acquire: (req, authz) => [keyWriteBytes(authz, (req as AcquireRequest__Output).key)],
  Release: (req, authz) => [keyWriteBytes(authz, (req as ReleaseRequest__Output).key)],
  Get: (req, authz) => {
    const r = req as GetLockRequest__Output;
    return [r.rangeEnd.length > 0 ? keyRangeRead(authz, r.key, r.rangeEnd) : keyReadBytes(authz, r.key)];
  },
};

/** Throws PERMISSION_DENIED for the first decision that does not allow. */
export function requireAll(...decisions: Decision[]): void {
  for (const d of decisions) if (!d.allowed) throw permissionDenied(d);
}

/** Reading a check (and its output): read on its service, or on its node for a node check. */
export function checkReadable(authz: Authorizer, c: CheckRecord): boolean {
  return (c.serviceId === '' ? authz.nodeRead(c.node) : authz.serviceRead(c.serviceName)).allowed;
}

/** Changing a check (a TTL update, deregistering it): write on its service, or on its node for a node check. */
export function checkWrite(authz: Authorizer, c: CheckRecord): Decision {
  return c.serviceId === '' ? authz.nodeWrite(c.node) : authz.serviceWrite(c.serviceName);
}
