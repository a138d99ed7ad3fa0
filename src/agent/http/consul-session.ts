import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Session__Output } from '../../gen/registry/roster/registry/v1/Session.js';
import { registryProto } from '../../proto/registry-proto.js';
import { parseGoDuration } from '../../util/go-duration.js';
import { HttpError } from './consul-errors.js';
import { checkDatacenter, jsonBody, queryOf, sendJson, tokenMetadata } from './consul-request.js';
import type { ServerCalls } from './server-calls.js';
import { optionsOf, sendMeta } from './consul-catalog.js';
import { blockingRegistryRead } from './blocking.js';

/** Consul's session TTL bounds (session_ttl_min 10 s, at most 24 h). */
const TTL_MIN_MS = 10_000;
const TTL_MAX_MS = 86_400_000;

/** A Go duration in the request body ("15s"), or a number of nanoseconds as Consul also takes. */
function durationField(v: unknown, field: string): number | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v === 'number' && Number.isFinite(v) && v >= 0) return v / 1e6;
  const ms = typeof v === 'string' ? parseGoDuration(v) : undefined;
  if (ms === undefined || ms < 0) throw new HttpError(400, `Request decode failed: ${field}: invalid duration ${JSON.stringify(v)}`);
  return ms;
}

function stringList(v: unknown, field: string): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw new HttpError(400, `Request decode failed: ${field} must be a list of strings`);
  return v as string[];
}

/** Consul's session JSON (LockDelay in nanoseconds, TTL as a Go duration string). */
function sessionJson(s: Session__Output): Record<string, unknown> {
  const ttlMs = Number(s.ttlMs);
  return {
    ID: s.id,
    Name: s.name,
    Node: s.node,
    LockDelay: Number(s.lockDelayMs) * 1e6,
    Behavior: s.behavior === 'DELETE' ? 'delete' : 'release',
    TTL: ttlMs > 0 ? `${ttlMs / 1000}s` : '',
    NodeChecks: s.checks,
    ServiceChecks: null,
    CreateIndex: Number(s.createRevision),
    ModifyIndex: Number(s.modifyRevision),
  };
}



/**
 * Consul's /v1/session/* on Roster's sessions (the registry's, which KV acquire and release use):
 * create (bound to the node's serfHealth unless told otherwise, Consul's defaults of 15 s lock
 * delay and release), destroy, renew, info, node, list.
 */
export function addSessionRoutes(app: FastifyInstance, servers: ServerCalls, o: { readonly datacenter: string; readonly node: string }): void {
  const Sessions = registryProto().roster.registry.v1.Sessions;
  
  app.put('/v1/session/create', async (req, reply) => {
    const q = queryOf(req);
    checkDatacenter(q, o.datacenter);
    const raw = jsonBody(req) ?? {};
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new HttpError(400, 'Request decode failed: the body must be a JSON object');
    // Consul's fields are case-insensitive in its decoder.
    const b = Object.fromEntries(Object.entries(raw as Record<string, unknown>).map(([k, v]) => [k.toLowerCase(), v]));
    const ttlMs = durationField(b.ttl, 'TTL');
    if (ttlMs !== undefined && ttlMs !== 0 && (ttlMs < TTL_MIN_MS || ttlMs > TTL_MAX_MS)) throw new HttpError(400, `Invalid Session TTL '${String(b.ttl)}', must be between [10s=24h0m0s]`);
    const behavior = b.behavior === undefined || b.behavior === '' ? 'release' : b.behavior;
    if (behavior !== 'release' && behavior !== 'delete') throw new HttpError(400, `Invalid Behavior setting '${JSON.stringify(behavior)}'`);
    const lockDelayMs = durationField(b.lockdelay, 'LockDelay');
    // Consul: Checks (legacy) and NodeChecks both name node checks; none given means serfHealth.
    const checks = [...stringList(b.checks, 'Checks'), ...stringList(b.nodechecks, 'NodeChecks')];
    const explicitNone = (b.checks !== undefined || b.nodechecks !== undefined) && checks.length === 0;
    if (stringList(b.servicechecks, 'ServiceChecks').length > 0) throw new HttpError(400, 'ServiceChecks are not served by Roster: bind the session to node checks (NodeChecks)');
    const r = await servers.unary(
      Sessions,
      'Create',
      {
        name: typeof b.name === 'string' ? b.name : '',
        node: typeof b.node === 'string' && b.node !== '' ? b.node : o.node,
        checks,
        noChecks: explicitNone,
        ttlMs: String(Math.round(ttlMs ?? 0)),
        behavior: behavior === 'delete' ? 'DELETE' : 'RELEASE',
        // Consul: 0 is no delay; absent is its 15 s default. Roster's request: negative is none, 0 the default.
        lockDelayMs: String(lockDelayMs === undefined ? 0 : lockDelayMs === 0 ? -1 : Math.round(lockDelayMs)),
      },
      tokenMetadata(req),
    );
    return sendJson(reply, { ID: r.id });
  });

  app.put('/v1/session/destroy/:id', async (req, reply) => {
    checkDatacenter(queryOf(req), o.datacenter);
    await servers.unary(Sessions, 'Destroy', { id: (req.params as { id: string }).id }, tokenMetadata(req));
    return sendJson(reply, true);
  });

  app.put('/v1/session/renew/:id', async (req, reply) => {
    checkDatacenter(queryOf(req), o.datacenter);
    const id = (req.params as { id: string }).id;
    try {
      const r = await servers.unary(Sessions, 'Renew', { id }, tokenMetadata(req));
      return sendJson(reply, r.session === null ? [] : [sessionJson(r.session)]);
    } catch (err) {
      if ((err as { code?: unknown }).code === 5) throw new HttpError(404, `Session id '${id}' not found`);
      throw err;
    }
  });

  app.get('/v1/session/info/:id', async (req, reply) => {
    const q = queryOf(req);
    checkDatacenter(q, o.datacenter);
    // Blocking on every session (a session's node is known only once it is found).
    const r = await blockingRegistryRead(req, servers, { sessions: { node: '' } }, async () => {
      try {
        return await servers.unary(Sessions, 'Info', { id: (req.params as { id: string }).id, options: optionsOf(q) }, tokenMetadata(req));
      } catch (err) {
        // Consul answers an unknown session with an empty list, not an error.
        if ((err as { code?: unknown }).code === 5) return { session: null, meta: await servers.metaNow(tokenMetadata(req)) };
        throw err;
      }
    });
    sendMeta(reply, r.meta);
    return sendJson(reply, r.session === null ? [] : [sessionJson(r.session)]);
  });

  const list = async (req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const q = queryOf(req);
    checkDatacenter(q, o.datacenter);
    const node = (req.params as { node?: string }).node ?? '';
    const r = await blockingRegistryRead(req, servers, { sessions: { node } }, () => servers.unary(Sessions, 'List', { node, options: optionsOf(q) }, tokenMetadata(req)));
    sendMeta(reply, r.meta);
    return sendJson(reply, r.sessions.map(sessionJson));
  };
  app.get('/v1/session/list', list);
  app.get('/v1/session/node/:node', list);
}
