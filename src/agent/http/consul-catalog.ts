import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Check__Output } from '../../gen/registry/roster/registry/v1/Check.js';
import type { Instance__Output } from '../../gen/registry/roster/registry/v1/Instance.js';
import type { Node__Output } from '../../gen/registry/roster/registry/v1/Node.js';
import type { QueryMeta__Output } from '../../gen/registry/roster/registry/v1/QueryMeta.js';
import { registryProto } from '../../proto/registry-proto.js';
import { HttpError } from './consul-errors.js';
import { checkDatacenter, has, queryOf, rowFilter, setIndexHeaders, tokenMetadata, type Query } from './consul-request.js';
import type { ServerCalls } from './server-calls.js';
import { blockingOf, blockingRead } from './blocking.js';

/** Tells when a service's instances change: the agent's discovery cache, fed by a registry watch. */
export interface ServiceChanges {
  /** Calls `wake` on every change of `service` (with unhealthy instances or passing only); returns how to stop. */
  follow(service: string, includeUnhealthy: boolean, wake: () => void): () => void;
}

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
export function addCatalogRoutes(app: FastifyInstance, servers: ServerCalls, datacenter: string, changes: ServiceChanges): void {
  const R = registryProto().roster.registry.v1;

  app.get('/v1/catalog/datacenters', async (_req, reply) => reply.type('application/json').send(JSON.stringify([datacenter])));

  app.get('/v1/catalog/services', async (req, reply) => {
    const q = queryOf(req);
    checkDatacenter(q, datacenter);
    const r = await servers.unary(R.Catalog, 'ListServices', { options: optionsOf(q), nodeMeta: nodeMetaOf(q) }, tokenMetadata(req));
    sendMeta(reply, r.meta);
    return reply.type('application/json').send(JSON.stringify(Object.fromEntries(r.services.map((s) => [s.name, s.tags]))));
  });

  app.get('/v1/catalog/nodes', async (req, reply) => {
    const q = queryOf(req);
    checkDatacenter(q, datacenter);
    const keep = rowFilter(req);
    const r = await servers.unary(R.Catalog, 'ListNodes', { options: optionsOf(q), nodeMeta: nodeMetaOf(q) }, tokenMetadata(req));
    sendMeta(reply, r.meta);
    return reply.type('application/json').send(JSON.stringify(keep(r.nodes.map(nodeJson))));
  });

  const instances = async (req: FastifyRequest, passingOnly: boolean): Promise<{ instances: Instance__Output[]; meta: QueryMeta__Output | null }> => {
    const q = queryOf(req);
    checkDatacenter(q, datacenter);
    const service = (req.params as { service: string }).service;
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
    const r = await instances(req, false);
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
    const r = await instances(req, has(queryOf(req), 'passing'));
    sendMeta(reply, r.meta);
    const rows = r.instances.map((i) => ({ Node: nodeJson(i.node!), Service: serviceJson(i), Checks: i.checks.map((c) => checkJson(c, i.service?.tags ?? [])) }));
    return reply.type('application/json').send(JSON.stringify(keep(rows)));
  });
}
