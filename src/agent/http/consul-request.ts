import * as grpc from '@grpc/grpc-js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { MAX_TOKEN_LENGTH, TOKEN_METADATA_KEY } from '../../util/acl-token.js';
import { HttpError } from './consul-errors.js';
import { filterOf } from './consul-filter.js';

export type Query = Readonly<Record<string, string | undefined>>;

/** The query string as Consul reads it: a flag given without a value ("?recurse") is present. */
export function queryOf(req: FastifyRequest): Query {
  return req.query as Query;
}

export const has = (q: Query, name: string): boolean => q[name] !== undefined;

/**
 * The caller's ACL token as Consul takes it, X-Consul-Token, then "Authorization: Bearer",
 * then ?token=, as gRPC metadata for the agent and the servers (none: the agent's default token).
 */
export function tokenMetadata(req: FastifyRequest): grpc.Metadata {
  const md = new grpc.Metadata();
  const header = req.headers['x-consul-token'];
  const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
  const token = (typeof header === 'string' && header !== '' ? header : undefined) ?? bearer ?? queryOf(req).token;
  if (token === undefined || token === '') return md;
  if (token.length > MAX_TOKEN_LENGTH || !/^[\x21-\x7e]+$/.test(token)) throw new HttpError(403, 'ACL not found');
  md.set(TOKEN_METADATA_KEY, token);
  return md;
}

/** A non-negative whole number from the query ("cas", "index", "flags"), or a 400 naming it. */
export function wholeOf(q: Query, name: string): bigint | undefined {
  const v = q[name];
  if (v === undefined) return undefined;
  if (!/^\d{1,20}$/.test(v) || BigInt(v) > 0xffff_ffff_ffff_ffffn) throw new HttpError(400, `Invalid ${name} index: ${JSON.stringify(v)}`);
  return BigInt(v);
}

/** Consul's ?dc: this datacenter or none; another one is refused as Consul does without a WAN link to it. */
export function checkDatacenter(q: Query, datacenter: string): void {
  const dc = q.dc;
  if (dc !== undefined && dc !== '' && dc !== datacenter) throw new HttpError(500, `No path to datacenter`);
}

/** Consul's query meta headers. */
export function setIndexHeaders(reply: FastifyReply, meta: { index: number; knownLeader: boolean; lastContactMs: number }): void {
  reply.header('X-Consul-Index', String(Math.max(1, meta.index)));
  reply.header('X-Consul-KnownLeader', meta.knownLeader ? 'true' : 'false');
  reply.header('X-Consul-LastContact', String(Math.max(0, meta.lastContactMs)));
}

/** A 200 with `body` as JSON. */
export const sendJson = (reply: FastifyReply, body: unknown): FastifyReply => reply.code(200).type('application/json').send(JSON.stringify(body));

/** The request body as JSON, or a 400 saying it is not. */
export function jsonBody(req: FastifyRequest): unknown {
  const body = req.body as Buffer | undefined;
  if (body === undefined || body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (err) {
    throw new HttpError(400, `Request decode failed: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** `rows` kept to those ?filter= selects (all without one). Call before any slow work: a bad expression is a 400. */
export function rowFilter(req: FastifyRequest): <T>(rows: readonly T[]) => T[] {
  const f = filterOf(queryOf(req).filter);
  return (rows) => (f === undefined ? [...rows] : rows.filter((r) => f(r)));
}
