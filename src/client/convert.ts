import type { Check__Output } from '../gen/registry/roster/registry/v1/Check.js';
import type { Instance__Output } from '../gen/registry/roster/registry/v1/Instance.js';
import type { Check, HealthStatus, Instance } from './types.js';

const STATUS: Readonly<Record<string, HealthStatus>> = { PASSING: 'passing', WARNING: 'warning', CRITICAL: 'critical' };

export function statusOf(s: string): HealthStatus {
  return STATUS[s] ?? 'critical';
}

export function checkOf(c: Check__Output): Check {
  return { id: c.id, name: c.name, serviceId: c.serviceId, status: statusOf(c.status), output: c.output, type: c.type };
}

export function instanceOf(i: Instance__Output): Instance {
  const svc = i.service!;
  const node = i.node!;
  return {
    key: `${node.name}/${svc.id}`,
    id: svc.id,
    name: svc.name,
    node: node.name,
    address: svc.address === '' ? node.address : svc.address,
    port: svc.port,
    tags: svc.tags,
    meta: svc.meta,
    weights: { passing: svc.weights?.passing ?? 1, warning: svc.weights?.warning ?? 1 },
    status: statusOf(i.status),
    checks: i.checks.map(checkOf),
    modifyRevision: Number(i.modifyRevision),
  };
}
