import type { CheckInput, RegisterCommand } from './commands.js';
import type { NodeRecord, ServiceRecord } from './records.js';

/** Records and commands with Consul's defaults filled in, so callers name only what they set. */

export function nodeOf(name: string, address: string, fields: Partial<Omit<NodeRecord, 'name' | 'address'>> = {}): NodeRecord {
  return { name, address, datacenter: fields.datacenter ?? 'dc1', meta: fields.meta ?? {} };
}

export function serviceOf(node: string, name: string, fields: Partial<Omit<ServiceRecord, 'node' | 'name'>> = {}): ServiceRecord {
  return {
    node,
    id: fields.id ?? name,
    name,
    tags: fields.tags ?? [],
    address: fields.address ?? '',
    port: fields.port ?? 0,
    meta: fields.meta ?? {},
    weights: fields.weights ?? { passing: 1, warning: 1 },
  };
}

export function checkOf(node: string, id: string, fields: Partial<Omit<CheckInput, 'node' | 'id'>> = {}): CheckInput {
  return {
    node,
    id,
    name: fields.name ?? id,
    serviceId: fields.serviceId ?? '',
    serviceName: fields.serviceName ?? '',
    status: fields.status ?? '',
    output: fields.output ?? '',
    notes: fields.notes ?? '',
    type: fields.type ?? (fields.ttlMs !== undefined && fields.ttlMs > 0 ? 'ttl' : 'external'),
    ttlMs: fields.ttlMs ?? 0,
    deregisterCriticalAfterMs: fields.deregisterCriticalAfterMs ?? 0,
    definition: fields.definition ?? {},
  };
}

export function registerOf(node: NodeRecord, fields: Partial<Omit<RegisterCommand, 'type' | 'node'>> = {}): RegisterCommand {
  return {
    type: 'register',
    node,
    skipNodeUpdate: fields.skipNodeUpdate ?? false,
    service: fields.service,
    checks: fields.checks ?? [],
    lease: fields.lease ?? 0n,
    ...(fields.keepSessions === undefined ? {} : { keepSessions: fields.keepSessions }),
    ...(fields.implicitNodes === undefined ? {} : { implicitNodes: fields.implicitNodes }),
  };
}
