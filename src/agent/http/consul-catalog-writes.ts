import type { FastifyInstance } from 'fastify';
import { registryProto } from '../../proto/registry-proto.js';
import { HttpError } from './consul-errors.js';
import { checkDatacenter, jsonBody, queryOf, tokenMetadata } from './consul-request.js';
import type { ServerCalls } from './server-calls.js';
import { meta, objectOf, str, strings, whole } from './consul-json.js';

const STATUS: Readonly<Record<string, 'PASSING' | 'WARNING' | 'CRITICAL'>> = { passing: 'PASSING', warning: 'WARNING', critical: 'CRITICAL' };

/** A service of Consul's catalog register (and of a transaction's service operations), as the registry API's. */
export function catalogServiceOf(raw: unknown, what: string): { id: string; name: string; tags: string[]; address: string; port: number; meta: Record<string, string>; weights?: { passing: number; warning: number } } {
  const o = objectOf(raw, what);
  const name = str(o, 'service', what);
  if (name === '') throw new HttpError(400, 'Must provide service name with ID');
  const port = o.port ?? 0;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65_535) throw new HttpError(400, `Request decode failed: ${what}.Port must be 0-65535`);
  const w = o.weights === undefined || o.weights === null ? undefined : objectOf(o.weights, `${what}.Weights`);
  const weights = w === undefined ? {} : { weights: { passing: whole(w, 'passing', `${what}.Weights`, 65_535) || 1, warning: whole(w, 'warning', `${what}.Weights`, 65_535) } };
  return { id: str(o, 'id', what) || name, name, tags: strings(o.tags, `${what}.Tags`), address: str(o, 'address', what), port, meta: meta(o.meta, `${what}.Meta`), ...weights };
}

/** A check of Consul's catalog register (and of a transaction's check operations) on `node`: external, critical unless a status is given. */
export function catalogCheckOf(raw: unknown, what: string, node: string): { id: string; name: string; node: string; serviceId: string; status: 'PASSING' | 'WARNING' | 'CRITICAL'; notes: string; output: string; type: string } {
  const c = objectOf(raw, what);
  const status = STATUS[str(c, 'status', what) || 'critical'];
  if (status === undefined) throw new HttpError(400, `Request decode failed: ${what}.Status must be passing, warning or critical`);
  const id = str(c, 'checkid', what) || str(c, 'name', what);
  if (id === '') throw new HttpError(400, `Request decode failed: ${what} needs a CheckID or a Name`);
  return { id, name: str(c, 'name', what) || id, node, serviceId: str(c, 'serviceid', what), status, notes: str(c, 'notes', what), output: str(c, 'output', what), type: 'external' };
}

/**
 * Consul's /v1/catalog/register and deregister: direct catalog writes, for nodes no agent runs
 * on (external services), as Roster's Catalog.Register and Deregister. A node an agent runs on
 * is that agent's: its anti-entropy puts back what it holds, as in Consul.
 */
export function addCatalogWriteRoutes(app: FastifyInstance, servers: ServerCalls, datacenter: string): void {
  const Catalog = registryProto().roster.registry.v1.Catalog;

  app.put('/v1/catalog/register', async (req, reply) => {
    checkDatacenter(queryOf(req), datacenter);
    const b = objectOf(jsonBody(req), 'the body');
    const node = str(b, 'node', 'body');
    if (node === '') throw new HttpError(400, 'Must provide node');
    const address = str(b, 'address', 'body');
    const skip = b.skipnodeupdate === true;
    if (address === '' && !skip) throw new HttpError(400, 'Must provide address if SkipNodeUpdate is not set');
    const service = b.service === undefined || b.service === null ? undefined : catalogServiceOf(b.service, 'Service');
    const rawChecks = [...(b.check === undefined || b.check === null ? [] : [b.check]), ...(Array.isArray(b.checks) ? (b.checks as unknown[]) : [])];
    const checks = rawChecks.map((raw, i) => catalogCheckOf(raw, `Checks[${i}]`, node));
    await servers.unary(Catalog, 'Register', { node: { name: node, address, meta: meta(b.nodemeta, 'NodeMeta') }, ...(service === undefined ? {} : { service }), checks, skipNodeUpdate: skip }, tokenMetadata(req));
    return reply.code(200).type('application/json').send('true');
  });

  app.put('/v1/catalog/deregister', async (req, reply) => {
    checkDatacenter(queryOf(req), datacenter);
    const b = objectOf(jsonBody(req), 'the body');
    const node = str(b, 'node', 'body');
    if (node === '') throw new HttpError(400, 'Must provide node');
    await servers.unary(Catalog, 'Deregister', { node, serviceId: str(b, 'serviceid', 'body'), checkId: str(b, 'checkid', 'body') }, tokenMetadata(req));
    return reply.code(200).type('application/json').send('true');
  });
}
