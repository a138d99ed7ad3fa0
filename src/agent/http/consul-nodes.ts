import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Check__Output } from '../../gen/registry/roster/registry/v1/Check.js';
import type { Service__Output } from '../../gen/registry/roster/registry/v1/Service.js';
import { operatorProto } from '../../proto/operator-proto.js';
import { registryProto } from '../../proto/registry-proto.js';
import { HttpError } from './consul-errors.js';
import { checkJson, nodeJson, optionsOf, sendMeta, serviceJson } from './consul-catalog.js';
import { checkDatacenter, queryOf, rowFilter, sendJson, tokenMetadata } from './consul-request.js';
import type { ServerCalls } from './server-calls.js';
import { blockingRegistryRead } from './blocking.js';

const STATE: Readonly<Record<string, 'PASSING' | 'WARNING' | 'CRITICAL' | 'HEALTH_UNSPECIFIED'>> = { passing: 'PASSING', warning: 'WARNING', critical: 'CRITICAL', any: 'HEALTH_UNSPECIFIED' };


/** A check's service tags for Consul's ServiceTags: from the node's services when known. */
function tagsOf(services: readonly Service__Output[]): (c: Check__Output) => readonly string[] {
  const byId = new Map(services.map((s) => [s.id, s.tags]));
  return (c) => byId.get(c.serviceId) ?? [];
}

/**
 * Consul's per-node and per-check reads: /v1/catalog/node/:node, node-services/:node,
 * /v1/health/node/:node, checks/:service, state/:state; /v1/agent/members (gossip, as the
 * servers see it); /v1/operator/raft/configuration; events answered 501 (Roster has none).
 */
export function addNodeRoutes(app: FastifyInstance, servers: ServerCalls, datacenter: string): void {
  const R = registryProto().roster.registry.v1;
  const Operator = operatorProto().roster.operator.v1.Operator;

  const nodeServices = async (req: FastifyRequest) => {
    const q = queryOf(req);
    checkDatacenter(q, datacenter);
    const node = (req.params as { node: string }).node;
    return blockingRegistryRead(req, servers, { node: { node } }, async () => {
      try {
        return await servers.unary(R.Catalog, 'NodeServices', { node, options: optionsOf(q) }, tokenMetadata(req));
      } catch (err) {
        if ((err as { code?: unknown }).code !== 5) throw err;
        // No such node: Consul still answers with an index to block on.
        return { node: null, services: [], checks: [], meta: await servers.metaNow(tokenMetadata(req)) };
      }
    });
  };

  app.get('/v1/catalog/node/:node', async (req, reply) => {
    const r = await nodeServices(req);
    sendMeta(reply, r.meta);
    // Consul answers an unknown node with null.
    if (r.node === null) return sendJson(reply, null);
    return sendJson(reply, { Node: nodeJson(r.node), Services: Object.fromEntries(r.services.map((s) => [s.id, serviceJson({ service: s } as never)])) });
  });

  app.get('/v1/catalog/node-services/:node', async (req, reply) => {
    const r = await nodeServices(req);
    sendMeta(reply, r.meta);
    if (r.node === null) return sendJson(reply, null);
    return sendJson(reply, { Node: nodeJson(r.node), Services: r.services.map((s) => serviceJson({ service: s } as never)) });
  });

  app.get('/v1/health/node/:node', async (req, reply) => {
    const keep = rowFilter(req);
    const r = await nodeServices(req);
    sendMeta(reply, r.meta);
    if (r.node === null) return sendJson(reply, []);
    const tags = tagsOf(r.services);
    return sendJson(reply, keep(r.checks.map((c) => checkJson(c, tags(c)))));
  });

  const checks = (state: (p: Record<string, string>) => string, service: (p: Record<string, string>) => string) => async (req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const q = queryOf(req);
    checkDatacenter(q, datacenter);
    const p = req.params as Record<string, string>;
    const keep = rowFilter(req);
    const s = STATE[state(p)];
    if (s === undefined) throw new HttpError(400, `Unsupported state: ${state(p)}`);
    const read = { state: s, service: service(p) };
    const r = await blockingRegistryRead(req, servers, { checks: read }, () => servers.unary(R.Health, 'Checks', { ...read, options: optionsOf(q) }, tokenMetadata(req)));
    sendMeta(reply, r.meta);
    return sendJson(reply, keep(r.checks.map((c) => checkJson(c, []))));
  };
  app.get('/v1/health/checks/:service', checks(() => 'any', (p) => p.service ?? ''));
  app.get('/v1/health/state/:state', checks((p) => p.state ?? '', () => ''));

  app.get('/v1/agent/members', async (req, reply) => {
    const r = await servers.unary(Operator, 'Members', {}, tokenMetadata(req));
    const STATUS: Record<string, number> = { alive: 1, suspect: 1, left: 3, failed: 4 };
    return sendJson(
      reply,
      r.members.map((m) => {
        const [addr = '', port = '0'] = m.addr.split(/:(?=\d+$)/);
        return { Name: m.name, Addr: addr, Port: Number(port), Tags: { role: m.role === 'server' ? 'consul' : 'node', dc: m.datacenter, build: m.version }, Status: STATUS[m.status] ?? 0, ProtocolMin: 1, ProtocolMax: 5, ProtocolCur: 2, DelegateMin: 2, DelegateMax: 5, DelegateCur: 4 };
      }),
    );
  });

  app.get('/v1/operator/raft/configuration', async (req, reply) => {
    checkDatacenter(queryOf(req), datacenter);
    const r = await servers.unary(Operator, 'RaftPeers', {}, tokenMetadata(req));
    return sendJson(reply, {
      Servers: r.peers.map((p) => ({ ID: p.memberId, Node: p.name, Address: p.peerAddr, Leader: p.leader, ProtocolVersion: '3', Voter: p.membership === 'voter' })),
      Index: Number(r.commitIndex),
    });
  });

  // Removes a Raft peer named by ?id= (its member id) or ?address= (its server RPC address), as Consul's.
  app.delete('/v1/operator/raft/peer', async (req, reply) => {
    const q = queryOf(req);
    checkDatacenter(q, datacenter);
    if ((q.id === undefined) === (q.address === undefined)) throw new HttpError(400, 'Must specify either ?id with the server\'s ID or ?address with IP:port of peer');
    const md = tokenMetadata(req);
    const peers = (await servers.unary(Operator, 'RaftPeers', {}, md)).peers;
    const peer = peers.find((p) => (q.id !== undefined ? p.memberId === q.id || p.name === q.id : p.peerAddr === q.address));
    if (peer === undefined) throw new HttpError(500, `address "${q.address ?? q.id ?? ''}" was not found in the Raft configuration`);
    await servers.unary(Operator, 'Remove', { name: peer.name }, md);
    return reply.code(200).send();
  });

  for (const path of ['/v1/event/fire/:name', '/v1/event/list']) {
    app.route({
      method: ['GET', 'PUT'],
      url: path,
      handler: (_req, reply) => reply.code(501).type('text/plain; charset=utf-8').send("Roster has no user events (Consul's event fire/list): use a KV key and a blocking query or a watch"),
    });
  }
}
