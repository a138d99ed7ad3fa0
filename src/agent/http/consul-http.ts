import Fastify, { type FastifyInstance } from 'fastify';
import * as http from 'node:http';
import type { Dialer } from '../../client/dialer.js';
import type { Logger } from '../../util/logger.js';
import { addAgentRoutes, type AgentIdentity, type LocalAgentCalls } from './consul-agent.js';
import { addCatalogRoutes, type ServiceChanges } from './consul-catalog.js';
import { httpErrorOf } from './consul-errors.js';
import { addKvRoutes, KV_MAX_VALUE_BYTES } from './consul-kv.js';
import { addSessionRoutes } from './consul-session.js';
import { addTxnRoutes } from './consul-txn.js';
import { addNodeRoutes } from './consul-nodes.js';
import { addCatalogWriteRoutes } from './consul-catalog-writes.js';
import { ServerCalls } from './server-calls.js';
import { addUiApiRoutes, type UiGossip } from './consul-ui-api.js';
import type { LocalFigures } from '../metrics/local-figures.js';
import { addUiFileRoutes, builtUiDir, loadUiFiles } from './ui-files.js';

/** How long an idle keep-alive connection stays open. */
const KEEP_ALIVE_MS = 30_000;

export interface ConsulHttpOptions extends AgentIdentity {
  readonly agent: LocalAgentCalls;
  /** The servers' API addresses, as gossip knows them now. */
  readonly servers: () => readonly string[];
  /** How it dials the servers, with the agent's default token for callers that send none. */
  readonly dial: Dialer;
  readonly logger: Logger;
  /** When services change (blocking queries on them). */
  readonly changes: ServiceChanges;
  /** This agent's gossip member (the UI's node statuses); absent without gossip. */
  readonly gossip?: UiGossip;
  /** This agent's own figures from its metrics (the UI's cluster view); absent without metrics. */
  readonly figures?: () => Promise<LocalFigures>;
}

/**
 * Consul's HTTP API (v1) on the agent's port, for Consul's clients: a Fastify app (routing, body
 * limits) whose http.Server never listens itself; the agent's shared listener hands it the
 * HTTP/1.1 connections of its port (src/tls/shared-listener.ts). Every call goes through the
 * agent's own API or to the servers with the caller's token, so validation and ACLs are the
 * gRPC API's.
 */
export async function createConsulHttp(o: ConsulHttpOptions): Promise<{ server: http.Server; close(): Promise<void> }> {
  let server: http.Server | undefined;
  const app: FastifyInstance = Fastify({
    serverFactory: (handler) => {
      // Idle keep-alive connections are closed by clients first (undici after 4 s, Go after
      // 90 s): a server that closes one while a client reuses it fails that request.
      server = http.createServer({ keepAliveTimeout: KEEP_ALIVE_MS }, handler);
      return server;
    },
    // A KV value at Consul's limit, in a body with a little room for the rest.
    bodyLimit: KV_MAX_VALUE_BYTES + 64 * 1024,
    logger: false,
    // Consul's paths are case-sensitive and keys may hold anything after /v1/kv/.
    routerOptions: { ignoreTrailingSlash: false },
  });
  // Bodies are taken as bytes and decoded by each endpoint: a KV PUT stores them as they are.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  app.setErrorHandler((err, _req, reply) => {
    const { status, body } = httpErrorOf(err);
    if (status >= 500) o.logger.warn('consul http api: request failed', { status, error: body });
    return reply.code(status).type('text/plain; charset=utf-8').send(body);
  });
  app.setNotFoundHandler((req, reply) => reply.code(404).type('text/plain; charset=utf-8').send(`Roster does not serve ${req.method} ${req.url.split('?')[0]} of Consul's HTTP API`));
  const servers = new ServerCalls(o.servers, o.dial);
  addKvRoutes(app, servers, o.datacenter);
  addCatalogRoutes(app, servers, o.datacenter, o.changes, o.agent);
  addAgentRoutes(app, o.agent, servers, o);
  addSessionRoutes(app, servers, o);
  addTxnRoutes(app, servers, o.datacenter);
  addNodeRoutes(app, servers, o.datacenter);
  addCatalogWriteRoutes(app, servers, o.datacenter);
  addUiApiRoutes(app, servers, o.datacenter, { node: o.node, ...(o.gossip === undefined ? {} : { gossip: o.gossip }), ...(o.figures === undefined ? {} : { figures: o.figures }) });
  addUiFileRoutes(app, loadUiFiles(builtUiDir()));
  await app.ready();
  return {
    server: server!,
    close: async () => {
      servers.close();
      await app.close();
    },
  };
}
