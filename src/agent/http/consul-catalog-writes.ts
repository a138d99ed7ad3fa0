import type { FastifyInstance } from 'fastify';
import { registryProto } from '../../proto/registry-proto.js';
import { HttpError } from './consul-errors.js';
import { checkDatacenter, jsonBody, queryOf, tokenMetadata } from './consul-request.js';
import type { ServerCalls } from './server-calls.js';

const STATUS: Readonly<Record<string, 'PASSING' | 'WARNING' | 'CRITICAL'>> = { passing: 'PASSING', warning: 'WARNING', critical: 'CRITICAL' };

type Obj = Record<string, unknown>;

/** The body as an object whose keys are read case-insensitively (Consul's decoder). */
function objectOf(v: unknown, what: string): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new HttpError(400, `Request decode failed: ${what} must be a JSON object`);
  return Object.fromEntries(Object.entries(v as Obj).map(([k, x]) => [k.toLowerCase(), x]));
}

const str = (o: Obj, k: string, what: string): string => {
  const v = o[k];
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') throw new HttpError(400, `Request decode failed: ${what}.${k} must be a string`);
  return v;
};

function strings(v: unknown, what: string): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw new HttpError(400, `Request decode failed: ${what} must be a list of strings`);
  return v as string[];
}

function meta(v: unknown, what: string): Record<string, string> {
  if (v === undefined || v === null) return {};
  const o = objectOf(v, what);
  for (const [k, x] of Object.entries(o)) if (typeof x !== 'string') throw new HttpError(400, `Request decode failed: ${what}.${k} must be a string`);
  return v as Record<string, string>;
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
    const rawService = b.service === undefined || b.service === null ? undefined : objectOf(b.service, 'Service');
    const service =
      rawService === undefined
        ? undefined
        : (() => {
            const name = str(rawService, 'service', 'Service');
            if (name === '') throw new HttpError(400, 'Must provide service name with ID');
            const port = rawService.port ?? 0;
            if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65_535) throw new HttpError(400, 'Request decode failed: Service.Port must be 0-65535');
            return { id: str(rawService, 'id', 'Service') || name, name, tags: strings(rawService.tags, 'Service.Tags'), address: str(rawService, 'address', 'Service'), port, meta: meta(rawService.meta, 'Service.Meta') };
          })();
    const rawChecks = [...(b.check === undefined || b.check === null ? [] : [b.check]), ...(Array.isArray(b.checks) ? (b.checks as unknown[]) : [])];
    const checks = rawChecks.map((raw, i) => {
      const c = objectOf(raw, `Checks[${i}]`);
      const status = STATUS[str(c, 'status', `Checks[${i}]`) || 'critical'];
      if (status === undefined) throw new HttpError(400, `Request decode failed: Checks[${i}].Status must be passing, warning or critical`);
      const id = str(c, 'checkid', `Checks[${i}]`) || str(c, 'name', `Checks[${i}]`);
      if (id === '') throw new HttpError(400, `Request decode failed: Checks[${i}] needs a CheckID or a Name`);
      return { id, name: str(c, 'name', `Checks[${i}]`) || id, node, serviceId: str(c, 'serviceid', `Checks[${i}]`), status, notes: str(c, 'notes', `Checks[${i}]`), output: str(c, 'output', `Checks[${i}]`), type: 'external' };
    });
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
