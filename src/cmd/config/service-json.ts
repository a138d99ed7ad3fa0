import { z } from 'zod';
import type { CheckDefinition__Output } from '../../gen/agent/roster/agent/v1/CheckDefinition.js';
import type { RegisterServiceRequest__Output } from '../../gen/agent/roster/agent/v1/RegisterServiceRequest.js';
import { expecting, jsonString, keyedObject, nonNegativeInt, stringList, stringMap } from './json-schemas.js';

/*
 * A service definition in a config file, as JSON, to the request the agent API takes: keys as
 * proto/roster/agent.proto names them (snake_case), every type checked, unknown keys refused, an
 * absent key the proto's default. Only the shape is checked here; the rules (names, URLs,
 * intervals) are service-definition.ts's, shared with the agent API.
 */

const uint = nonNegativeInt();
const ms = nonNegativeInt('a non-negative integer number of milliseconds');
const text = jsonString.default('');

const CHECK_JSON = keyedObject('a check', {
  id: text,
  name: text,
  http: text,
  method: text,
  headers: stringMap.default(() => ({})),
  tcp: text,
  grpc: text,
  ttl_ms: ms.default(0),
  interval_ms: ms.default(0),
  timeout_ms: ms.default(0),
  success_before_passing: uint.default(0),
  failures_before_critical: uint.default(0),
  args: stringList.default(() => []),
  deregister_critical_service_after_ms: ms.default(0),
}).transform(
  (c): CheckDefinition__Output => ({
    id: c.id,
    name: c.name,
    http: c.http,
    tcp: c.tcp,
    grpc: c.grpc,
    ttlMs: c.ttl_ms,
    intervalMs: c.interval_ms,
    timeoutMs: c.timeout_ms,
    successBeforePassing: c.success_before_passing,
    failuresBeforeCritical: c.failures_before_critical,
    method: c.method,
    headers: c.headers,
    args: c.args,
    deregisterCriticalServiceAfterMs: c.deregister_critical_service_after_ms,
  }),
);

/** One service definition, with its checks, as a RegisterService request. */
export const SERVICE_JSON = keyedObject('a service', {
  id: text,
  name: text,
  port: uint.default(0),
  address: text,
  tags: stringList.default(() => []),
  meta: stringMap.default(() => ({})),
  // Consul's weights: DNS SRV weight while passing and while warning.
  weights: keyedObject('weights', { passing: uint.default(1), warning: uint.default(1) }).optional(),
  checks: z.array(CHECK_JSON, expecting('an array of checks')).default(() => []),
}).transform(({ checks, weights, ...service }): RegisterServiceRequest__Output => ({ service: { ...service, weights: weights ?? null }, checks }));
