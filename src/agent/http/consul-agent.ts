import type * as grpc from '@grpc/grpc-js';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AgentService__Output } from '../../gen/agent/roster/agent/v1/AgentService.js';
import type { ServicesResponse__Output } from '../../gen/agent/roster/agent/v1/ServicesResponse.js';
import { etcdProto } from '../../proto/etcd-proto.js';
import { HttpError } from './consul-errors.js';
import { jsonBody, queryOf, rowFilter, tokenMetadata } from './consul-request.js';
import { checkRegistrationOf, registrationOf } from './consul-service-definition.js';
import type { ServerCalls } from './server-calls.js';

/** The agent's own API, called in-process with the caller's token (AgentApi.callLocal). */
export interface LocalAgentCalls {
  callLocal(method: 'RegisterService' | 'DeregisterService' | 'UpdateTtl' | 'Services' | 'Maintenance' | 'Leave' | 'RegisterCheck' | 'DeregisterCheck' | 'Join' | 'ForceLeave' | 'Instances', request: unknown, metadata: grpc.Metadata): Promise<unknown>;
}

export interface AgentIdentity {
  readonly node: string;
  readonly nodeAddress: string;
  readonly datacenter: string;
  readonly version: string;
}

function agentServiceJson(a: AgentService__Output, datacenter: string): Record<string, unknown> {
  const s = a.service!;
  return { ID: s.id, Service: s.name, Tags: s.tags, Meta: s.meta, Port: s.port, Address: s.address, Weights: { Passing: s.weights?.passing ?? 1, Warning: s.weights?.warning ?? 1 }, EnableTagOverride: false, Datacenter: datacenter };
}

/** host:port of a peer URL (http://127.0.0.1:8300). */
const hostPortOf = (url: string): string => url.replace(/^[a-z]+:\/\//, '').replace(/\/.*$/, '');

/** Consul's /v1/agent/* (what this agent holds and runs) and /v1/status/*. */
export function addAgentRoutes(app: FastifyInstance, agent: LocalAgentCalls, servers: ServerCalls, me: AgentIdentity): void {
  const held = async (md: grpc.Metadata): Promise<ServicesResponse__Output> => (await agent.callLocal('Services', {}, md)) as ServicesResponse__Output;
  const services = async (md: grpc.Metadata): Promise<AgentService__Output[]> => (await held(md)).services;

  app.get('/v1/agent/self', async (_req, reply) =>
    reply.type('application/json').send(JSON.stringify({ Config: { Datacenter: me.datacenter, NodeName: me.node, Server: false, Version: me.version, Revision: 'roster' }, Member: { Name: me.node, Addr: me.nodeAddress, Port: 8301, Status: 1, Tags: { role: 'node', dc: me.datacenter } } })),
  );

  app.get('/v1/agent/services', async (req, reply) => {
    const keep = rowFilter(req);
    const all = await services(tokenMetadata(req));
    const rows = keep(all.map((a) => agentServiceJson(a, me.datacenter)));
    return reply.type('application/json').send(JSON.stringify(Object.fromEntries(rows.map((r) => [r.ID as string, r]))));
  });

  app.get('/v1/agent/service/:id', async (req, reply) => {
    const id = (req.params as { id: string }).id;
    const found = (await services(tokenMetadata(req))).find((a) => a.service?.id === id);
    if (found === undefined) throw new HttpError(404, `unknown service ID: ${id}`);
    return reply.type('application/json').send(JSON.stringify(agentServiceJson(found, me.datacenter)));
  });

  app.put('/v1/agent/service/register', async (req, reply) => {
    await agent.callLocal('RegisterService', registrationOf(jsonBody(req)), tokenMetadata(req));
    return reply.code(200).send();
  });

  // PUT, as Consul 1.x; GET too, as Consul before 1.0, which python-consul 0.7 (Debian's) still sends.
  app.route({ method: ['PUT', 'GET'], url: '/v1/agent/service/deregister/:id', handler: async (req, reply) => {
    await agent.callLocal('DeregisterService', { id: (req.params as { id: string }).id }, tokenMetadata(req));
    return reply.code(200).send();
  } });

  // TTL checks: pass, warn, fail with ?note=, or update with {"Status", "Output"}.
  for (const [verb, status] of [['pass', 'passing'], ['warn', 'warning'], ['fail', 'critical']] as const) {
    app.route({ method: ['PUT', 'GET'], url: `/v1/agent/check/${verb}/:id`, handler: async (req, reply) => {
      await agent.callLocal('UpdateTtl', { checkId: (req.params as { id: string }).id, status, output: queryOf(req).note ?? '' }, tokenMetadata(req));
      return reply.code(200).send();
    } });
  }
  app.put('/v1/agent/check/update/:id', async (req, reply) => {
    const body = (jsonBody(req) ?? {}) as { Status?: unknown; Output?: unknown };
    const status = typeof body.Status === 'string' ? body.Status : '';
    if (!['passing', 'warning', 'critical'].includes(status)) throw new HttpError(400, `Invalid check status: "${status}"`);
    await agent.callLocal('UpdateTtl', { checkId: (req.params as { id: string }).id, status, output: typeof body.Output === 'string' ? body.Output : '' }, tokenMetadata(req));
    return reply.code(200).send();
  });

  app.put('/v1/agent/check/register', async (req, reply) => {
    await agent.callLocal('RegisterCheck', checkRegistrationOf(jsonBody(req)), tokenMetadata(req));
    return reply.code(200).send();
  });
  // PUT, as Consul 1.x; GET too, for clients written for Consul before 1.0 (python-consul 0.7).
  app.route({ method: ['PUT', 'GET'], url: '/v1/agent/check/deregister/:id', handler: async (req, reply) => {
    await agent.callLocal('DeregisterCheck', { checkId: (req.params as { id: string }).id }, tokenMetadata(req));
    return reply.code(200).send();
  } });

  const checkOf = (a: AgentService__Output | undefined, c: AgentService__Output['checks'][number]): Record<string, unknown> => ({
    Node: me.node,
    CheckID: c.id,
    Name: c.name,
    Status: c.status,
    Notes: '',
    Output: c.output,
    ServiceID: a?.service?.id ?? '',
    ServiceName: a?.service?.name ?? '',
    ServiceTags: a?.service?.tags ?? [],
    Type: c.type,
  });

  app.get('/v1/agent/checks', async (req, reply) => {
    const keep = rowFilter(req);
    const all = await held(tokenMetadata(req));
    const rows = keep([...all.nodeChecks.map((c) => checkOf(undefined, c)), ...all.services.flatMap((a) => a.checks.map((c) => checkOf(a, c)))]);
    return reply.type('application/json').send(JSON.stringify(Object.fromEntries(rows.map((r) => [r.CheckID as string, r]))));
  });

  /** Consul's local service health: the worst check wins; 200 passing, 429 warning, 503 critical. */
  const aggregated = (list: readonly AgentService__Output[]): { code: number; status: string } => {
    const statuses = list.flatMap((a) => a.checks.map((c) => c.status));
    if (statuses.includes('critical')) return { code: 503, status: 'critical' };
    if (statuses.includes('warning')) return { code: 429, status: 'warning' };
    return { code: 200, status: 'passing' };
  };
  const healthRows = (list: readonly AgentService__Output[]): Record<string, unknown>[] =>
    list.map((a) => ({ AggregatedStatus: aggregated([a]).status, Service: agentServiceJson(a, me.datacenter), Checks: a.checks.map((c) => checkOf(a, c)) }));
  app.get('/v1/agent/health/service/name/:name', async (req, reply) => {
    const name = (req.params as { name: string }).name;
    const found = (await services(tokenMetadata(req))).filter((a) => a.service?.name === name);
    if (found.length === 0) return reply.code(404).type('text/plain; charset=utf-8').send(`ServiceName ${name} Not Found`);
    return reply.code(aggregated(found).code).type('application/json').send(JSON.stringify(healthRows(found)));
  });
  app.get('/v1/agent/health/service/id/:id', async (req, reply) => {
    const id = (req.params as { id: string }).id;
    const found = (await services(tokenMetadata(req))).filter((a) => a.service?.id === id);
    if (found.length === 0) return reply.code(404).type('text/plain; charset=utf-8').send(`ServiceId ${id} Not Found`);
    return reply.code(aggregated(found).code).type('application/json').send(JSON.stringify(healthRows(found)[0]));
  });

  // Maintenance: ?enable=true|false&reason=, for one service or the whole node.
  const maintenance = async (req: FastifyRequest, serviceId: string): Promise<void> => {
    const q = queryOf(req);
    if (q.enable !== 'true' && q.enable !== 'false') throw new HttpError(400, 'Missing value for enable');
    await agent.callLocal('Maintenance', { enable: q.enable === 'true', serviceId, reason: q.reason ?? '' }, tokenMetadata(req));
  };
  app.put('/v1/agent/maintenance', async (req, reply) => {
    await maintenance(req, '');
    return reply.code(200).send();
  });
  app.put('/v1/agent/service/maintenance/:id', async (req, reply) => {
    await maintenance(req, (req.params as { id: string }).id);
    return reply.code(200).send();
  });
  // ?wan is for joining another datacenter's servers: Roster has one datacenter.
  app.put('/v1/agent/join/:address', async (req, reply) => {
    if (queryOf(req).wan !== undefined) throw new HttpError(400, 'Roster has no WAN pool: join without ?wan');
    await agent.callLocal('Join', { address: (req.params as { address: string }).address }, tokenMetadata(req));
    return reply.code(200).send();
  });
  app.put('/v1/agent/force-leave/:node', async (req, reply) => {
    await agent.callLocal('ForceLeave', { node: (req.params as { node: string }).node }, tokenMetadata(req));
    return reply.code(200).send();
  });
  app.put('/v1/agent/leave', async (req, reply) => {
    await agent.callLocal('Leave', {}, tokenMetadata(req));
    return reply.code(200).send();
  });

  const Maintenance = etcdProto().etcdserverpb.Maintenance;
  const Cluster = etcdProto().etcdserverpb.Cluster;
  app.get('/v1/status/leader', async (req, reply) => {
    const md = tokenMetadata(req);
    const status = await servers.unary(Maintenance, 'Status', {}, md);
    const members = await servers.unary(Cluster, 'MemberList', { linearizable: false }, md);
    const leader = members.members.find((m) => String(m.ID) === String(status.leader));
    return reply.type('application/json').send(JSON.stringify(leader === undefined ? '' : hostPortOf(leader.peerURLs[0] ?? '')));
  });

  app.get('/v1/status/peers', async (req, reply) => {
    const members = await servers.unary(Cluster, 'MemberList', { linearizable: false }, tokenMetadata(req));
    return reply.type('application/json').send(JSON.stringify(members.members.filter((m) => !m.isLearner).map((m) => hostPortOf(m.peerURLs[0] ?? ''))));
  });
}
