import type { Check, Check__Output } from '../../gen/registry/roster/registry/v1/Check.js';
import type { HealthStatus__Output } from '../../gen/registry/roster/registry/v1/HealthStatus.js';
import type { Instance } from '../../gen/registry/roster/registry/v1/Instance.js';
import type { Node, Node__Output } from '../../gen/registry/roster/registry/v1/Node.js';
import type { RegisterRequest__Output } from '../../gen/registry/roster/registry/v1/RegisterRequest.js';
import type { Service, Service__Output } from '../../gen/registry/roster/registry/v1/Service.js';
import type { ServiceSummary as ServiceSummaryProto } from '../../gen/registry/roster/registry/v1/ServiceSummary.js';
import type { CheckInput, RegisterCommand } from '../../store/registry/commands.js';
import type { Stored } from '../../store/registry/record-io.js';
import { CHECK_TYPES, type CheckRecord, type CheckType, type HealthStatus, type InstanceView, type NodeRecord, type ServiceRecord, type ServiceSummary } from '../../store/registry/records.js';
import { REGISTRY_LIMITS } from '../../store/registry/validate.js';
import { RosterError } from '../../util/errors.js';

/** Between the registry's protobuf messages and the store's records. */

const STATUS_IN: Readonly<Record<string, HealthStatus | ''>> = { HEALTH_UNSPECIFIED: '', PASSING: 'passing', WARNING: 'warning', CRITICAL: 'critical' };
const STATUS_OUT: Readonly<Record<HealthStatus, HealthStatus__Output>> = { passing: 'PASSING', warning: 'WARNING', critical: 'CRITICAL' };

export function statusIn(s: string): HealthStatus | '' {
  const v = STATUS_IN[s];
  if (v === undefined) throw new RosterError('INVALID_ARGUMENT', `unknown health status ${s}`);
  return v;
}

export const statusOut = (s: HealthStatus): HealthStatus__Output => STATUS_OUT[s];

/** A whole number from a protobuf 64-bit string, checked. */
export function int64In(v: string, field: string, max = Number.MAX_SAFE_INTEGER): number {
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 0 || n > max) throw new RosterError('INVALID_ARGUMENT', `${field}: must be a whole number in 0..${max}, got ${v}`);
  return n;
}

export function leaseIn(v: string): bigint {
  try {
    return BigInt(v === '' ? '0' : v);
  } catch {
    throw new RosterError('INVALID_ARGUMENT', `lease: not an int64: ${v}`);
  }
}

/** Cuts a string to at most `max` UTF-8 bytes without splitting a character. */
export function truncateUtf8(s: string, max: number): string {
  const bytes = new TextEncoder().encode(s);
  if (bytes.length <= max) return s;
  let end = max;
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
  return new TextDecoder().decode(bytes.subarray(0, end));
}

export function nodeIn(n: Node__Output | null): NodeRecord {
  if (n === null) throw new RosterError('INVALID_ARGUMENT', 'node: is required');
  return { name: n.name, address: n.address, datacenter: n.datacenter === '' ? 'dc1' : n.datacenter, meta: { ...n.meta } };
}

export function serviceIn(s: Service__Output, node: string): ServiceRecord {
  const weights = s.weights ?? { passing: 1, warning: 1 };
  return {
    node,
    id: s.id === '' ? s.name : s.id,
    name: s.name,
    tags: [...s.tags],
    address: s.address,
    port: s.port,
    meta: { ...s.meta },
    weights: { passing: weights.passing === 0 ? 1 : weights.passing, warning: weights.warning },
  };
}

export function checkIn(c: Check__Output, node: string, defaultServiceId: string): CheckInput {
  const ttlMs = int64In(c.ttlMs, 'check.ttl_ms');
  const type = (c.type === '' ? (ttlMs > 0 ? 'ttl' : 'external') : c.type) as CheckType;
  if (!CHECK_TYPES.includes(type)) throw new RosterError('INVALID_ARGUMENT', `check.type: must be one of ${CHECK_TYPES.join(', ')}`);
  return {
    node,
    id: c.id === '' ? c.name : c.id,
    name: c.name === '' ? c.id : c.name,
    serviceId: c.serviceId === '' ? defaultServiceId : c.serviceId,
    serviceName: '',
    status: statusIn(c.status),
    output: truncateUtf8(c.output, REGISTRY_LIMITS.outputBytes),
    notes: c.notes,
    type,
    ttlMs,
    deregisterCriticalAfterMs: int64In(c.deregisterCriticalAfterMs, 'check.deregister_critical_after_ms'),
    definition: { ...c.definition },
  };
}

/**
 * A RegisterRequest as a command. Checks given with a service belong to it unless they name
 * another; service_ttl_ms adds the TTL check "service:<id>", passing from now.
 */
export function registerIn(req: RegisterRequest__Output): RegisterCommand {
  const node = nodeIn(req.node);
  const service = req.service === null ? undefined : serviceIn(req.service, node.name);
  const checks = req.checks.map((c) => checkIn(c, node.name, ''));
  const ttlMs = int64In(req.serviceTtlMs, 'service_ttl_ms');
  if (ttlMs > 0) {
    if (service === undefined) throw new RosterError('INVALID_ARGUMENT', 'service_ttl_ms: needs a service');
    checks.push({
      node: node.name,
      id: `service:${service.id}`,
      name: `Service '${service.name}' TTL`,
      serviceId: service.id,
      serviceName: '',
      status: 'passing',
      output: '',
      notes: '',
      type: 'ttl',
      ttlMs,
      deregisterCriticalAfterMs: int64In(req.serviceDeregisterCriticalAfterMs, 'service_deregister_critical_after_ms'),
      definition: {},
    });
  }
  return { type: 'register', node, skipNodeUpdate: req.skipNodeUpdate, service, checks, lease: leaseIn(req.lease) };
}

const revs = (s: { createRevision: number; modRevision: number }): { createRevision: string; modifyRevision: string } => ({
  createRevision: String(s.createRevision),
  modifyRevision: String(s.modRevision),
});

export function nodeOut(n: NodeRecord, at?: { createRevision: number; modRevision: number }): Node {
  return { name: n.name, address: n.address, datacenter: n.datacenter, meta: n.meta, ...(at === undefined ? {} : revs(at)) };
}

export function serviceOut(s: ServiceRecord, at?: { createRevision: number; modRevision: number; lease: bigint }): Service {
  return {
    id: s.id,
    name: s.name,
    tags: [...s.tags], // the generated type takes a mutable array
    address: s.address,
    port: s.port,
    meta: s.meta,
    weights: s.weights,
    node: s.node,
    ...(at === undefined ? {} : { ...revs(at), lease: at.lease.toString() }),
  };
}

export function checkOut(c: CheckRecord, at?: { createRevision: number; modRevision: number }): Check {
  return {
    id: c.id,
    name: c.name,
    node: c.node,
    serviceId: c.serviceId,
    serviceName: c.serviceName,
    status: statusOut(c.status),
    output: c.output,
    notes: c.notes,
    type: c.type,
    ttlMs: String(c.ttlMs),
    deregisterCriticalAfterMs: String(c.deregisterCriticalAfterMs),
    definition: c.definition,
    ...(at === undefined ? {} : revs(at)),
  };
}

export function instanceOut(v: Stored<InstanceView>): Instance {
  const r = v.record;
  return { node: nodeOut(r.node), service: serviceOut(r.service), checks: r.checks.map((c) => checkOut(c)), status: statusOut(r.status), ...revs(v) };
}

export function summaryOut(s: Stored<ServiceSummary>): ServiceSummaryProto {
  return { name: s.record.name, tags: Object.keys(s.record.tags), instances: s.record.instances, passing: s.record.passing, modifyIndex: String(s.modRevision) };
}
