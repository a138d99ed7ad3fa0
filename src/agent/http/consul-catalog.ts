import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Check__Output } from '../../gen/registry/roster/registry/v1/Check.js';
import type { Instance__Output } from '../../gen/registry/roster/registry/v1/Instance.js';
import type { Node__Output } from '../../gen/registry/roster/registry/v1/Node.js';
import type { QueryMeta__Output } from '../../gen/registry/roster/registry/v1/QueryMeta.js';
import { registryProto } from '../../proto/registry-proto.js';
import { HttpError } from './consul-errors.js';
import { checkDatacenter, has, queryOf, rowFilter, setIndexHeaders, tokenMetadata, type Query } from './consul-request.js';
import type { ServerCalls } from './server-calls.js';
import type { ServiceCache } from '../../client/service-cache.js';
import type { LocalAgentCalls } from './consul-agent.js';
import { blockingOf, blockingRead, blockingRegistryRead } from './blocking.js';

/** Tells when a service's instances change: the agent's discovery cache, fed by a registry watch. */
export interface ServiceChanges {
  /** Calls `wake` on every change of `service` (with unhealthy instances or passing only); returns how to stop. */
  follow(service: string, includeUnhealthy: boolean, wake: () => void): () => void;
  /** Whether the agent's cache holds the query already. */
  holds(service: string, includeUnhealthy: boolean): boolean;
  /** The agent's cache of the query (made if missing). */
  cacheWhenReady(service: string, includeUnhealthy: boolean): Promise<ServiceCache>;
}

/** How long a ?cached read made the cache entry waits for its first answer. */
const FIRST_ANSWER_MS = 5000;

const STATUS: Readonly<Record<string, string>> = { PASSING: 'passing', WARNING: 'warning', CRITICAL: 'critical' };

/** Roster's consistency for Consul's ?stale / ?consistent (default: linearizable, as Roster's reads). */
export const optionsOf = (q: Query): { consistency: 'STALE' | 'CONSISTENT' } => ({ consistency: has(q, 'stale') ? 'STALE' : 'CONSISTENT' });

/** ?node-meta=key:value, repeatable. */
export function nodeMetaOf(q: Query): Record<string, string> {
  const raw = q['node-meta'];
  const out: Record<string, string> = {};
  for (const pair of raw === undefined ? [] : ([] as string[]).concat(raw)) {
    const at = pair.indexOf(':');
    if (at < 1) throw new HttpError(400, `Invalid node-meta filter: ${JSON.stringify(pair)} (want key:value)`);
    out[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return out;
}

export function sendMeta(reply: FastifyReply, meta: QueryMeta__Output | null): void {
  setIndexHeaders(reply, { index: Number(meta?.index ?? meta?.revision ?? 0), knownLeader: (meta?.knownLeader ?? '') !== '', lastContactMs: Number(meta?.lastContactMs ?? 0) });
}

export const nodeJson = (n: Node__Output): Record<string, unknown> => ({
  ID: '',
  Node: n.name,
  Address: n.address,
  Datacenter: n.datacenter,
  TaggedAddresses: { lan: n.address, wan: n.address },
  Meta: n.meta,
  CreateIndex: Number(n.createRevision),
  ModifyIndex: Number(n.modifyRevision),
});

export const checkJson = (c: Check__Output, tags: readonly string[]): Record<string, unknown> => ({
  Node: c.node,
  CheckID: c.id,
  Name: c.name,
  Status: STATUS[c.status] ?? 'critical',
  Notes: c.notes,
  Output: c.output,
  ServiceID: c.serviceId,
  ServiceName: c.serviceName,
  ServiceTags: c.serviceId === '' ? [] : tags,
  Type: c.type,
  Definition: {},
  CreateIndex: Number(c.createRevision),
  ModifyIndex: Number(c.modifyRevision),
});

export function serviceJson(i: Instance__Output): Record<string, unknown> {
  const s = i.service!;
  return {
    ID: s.id,
    Service: s.name,
    Tags: s.tags,
    Address: s.address,
    Meta: s.meta,
    Port: s.port,
    Weights: { Passing: s.weights?.passing ?? 1, Warning: s.weights?.warning ?? 1 },
    EnableTagOverride: false,
    CreateIndex: Number(s.createRevision),
    ModifyIndex: Number(s.modifyRevision),
  };
}

/** Consul's catalog and health reads on Roster's registry: /v1/catalog/* and /v1/health/service. */
export function addCatalogRoutes(app: FastifyInstance, servers: ServerCalls, datacenter: string, changes: ServiceChanges, agent: LocalAgentCalls): void {
  const R = registryProto().roster.registry.v1;

  /**
   * Consul's ?cached: the answer from the agent's own cache of the query (its watch, which keeps
   * the last instances through a server outage), with X-Cache HIT or MISS and Age, the seconds
   * since the servers last spoke of it. The caller's token is checked as for the agent API's
   * Instances (service:read), since the cache is filled with the agent's token. Tag and node-meta
   * filters apply here; ?index blocks until the cache has moved past it.
   */
  const cachedInstances = async (req: FastifyRequest, reply: FastifyReply, service: string, passingOnly: boolean): Promise<{ instances: readonly Instance__Output[]; meta: QueryMeta__Output }> => {
    const q = queryOf(req);
    const includeUnhealthy = !passingOnly;
    const hit = changes.holds(service, includeUnhealthy);
    await agent.callLocal('Instances', { service, includeUnhealthy }, tokenMetadata(req));
    const cache = await changes.cacheWhenReady(service, includeUnhealthy);
    await Promise.race([cache.ready().catch(() => undefined), new Promise((r) => setTimeout(r, FIRST_ANSWER_MS).unref())]);
    await blockingRead(blockingOf(req), {
      subscribe: (wake) => changes.follow(service, includeUnhealthy, wake),
      read: () => Promise.resolve(cache.revision),
      newer: (revision, minIndex) => revision > minIndex,
      wakeMeansChanged: false,
    });
    const nodeMeta = Object.entries(nodeMetaOf(q));
    const tag = q.tag;
    const instances = cache.wireInstances().filter((i) => (tag === undefined || i.service!.tags.includes(tag)) && nodeMeta.every(([k, v]) => i.node!.meta[k] === v));
    reply.header('X-Cache', hit ? 'HIT' : 'MISS');
    reply.header('Age', String(Math.max(0, Math.floor((performance.now() - cache.heardAt) / 1000))));
    return { instances, meta: { index: String(cache.revision), revision: String(cache.revision), servedBy: '', knownLeader: cache.stale ? '' : 'cached', lastContactMs: '0', stale: cache.stale } };
  };

  app.get('/v1/catalog/datacenters', async (_req, reply) => reply.type('application/json').send(JSON.stringify([datacenter])));

  app.get('/v1/catalog/services', async (req, reply) => {
    const q = queryOf(req);
    checkDatacenter(q, datacenter);
    const r = await blockingRegistryRead(req, servers, { services: {} }, () => servers.unary(R.Catalog, 'ListServices', { options: optionsOf(q), nodeMeta: nodeMetaOf(q) }, tokenMetadata(req)));
    sendMeta(reply, r.meta);
    return reply.type('application/json').send(JSON.stringify(Object.fromEntries(r.services.map((s) => [s.name, s.tags]))));
  });

  app.get('/v1/catalog/nodes', async (req, reply) => {
    const q = queryOf(req);
    checkDatacenter(q, datacenter);
    const keep = rowFilter(req);
    const r = await blockingRegistryRead(req, servers, { nodes: {} }, () => servers.unary(R.Catalog, 'ListNodes', { options: optionsOf(q), nodeMeta: nodeMetaOf(q) }, tokenMetadata(req)));
    sendMeta(reply, r.meta);
    return reply.type('application/json').send(JSON.stringify(keep(r.nodes.map(nodeJson))));
  });

  const instances = async (req: FastifyRequest, reply: FastifyReply, passingOnly: boolean): Promise<{ instances: readonly Instance__Output[]; meta: QueryMeta__Output | null }> => {
    const q = queryOf(req);
    checkDatacenter(q, datacenter);
    const service = (req.params as { service: string }).service;
    if (has(q, 'cached')) return cachedInstances(req, reply, service, passingOnly);
    const md = tokenMetadata(req);
    const nodeMeta = nodeMetaOf(q);
    // Blocking (?index): the agent's watch of this service (its discovery cache) says when to
    // look again; the answer is the service's modify index, as Consul's.
    return blockingRead(blockingOf(req), {
      subscribe: (wake) => changes.follow(service, !passingOnly, wake),
      read: () => servers.unary(R.Health, 'ServiceInstances', { service, tag: q.tag ?? '', nodeMeta, passingOnly, options: optionsOf(q) }, md),
      newer: (r, minIndex) => Number(r.meta?.index ?? 0) > minIndex,
      wakeMeansChanged: false,
    });
  };

  app.get('/v1/catalog/service/:service', async (req, reply) => {
    const keep = rowFilter(req);
    const r = await instances(req, reply, false);
    sendMeta(reply, r.meta);
    const rows = r.instances.map((i) => {
      const s = serviceJson(i);
      const n = nodeJson(i.node!);
      return {
        ...n,
        NodeMeta: n.Meta,
        ServiceID: s.ID,
        ServiceName: s.Service,
        ServiceTags: s.Tags,
        ServiceAddress: s.Address,
        ServicePort: s.Port,
        ServiceMeta: s.Meta,
        ServiceWeights: s.Weights,
        ServiceEnableTagOverride: false,
        CreateIndex: s.CreateIndex,
        ModifyIndex: s.ModifyIndex,
      };
    });
    return reply.type('application/json').send(JSON.stringify(keep(rows)));
  });

  app.get('/v1/health/service/:service', async (req, reply) => {
    const keep = rowFilter(req);
    const r = await instances(req, reply, has(queryOf(req), 'passing'));
    sendMeta(reply, r.meta);
    const rows = r.instances.map((i) => ({ Node: nodeJson(i.node!), Service: serviceJson(i), Checks: i.checks.map((c) => checkJson(c, i.service?.tags ?? [])) }));
    return reply.type('application/json').send(JSON.stringify(keep(rows)));
  });
}
