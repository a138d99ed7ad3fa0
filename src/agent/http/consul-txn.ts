import type { FastifyInstance } from 'fastify';
import type { TxnOp } from '../../gen/registry/roster/registry/v1/TxnOp.js';
import type { TxnResult__Output } from '../../gen/registry/roster/registry/v1/TxnResult.js';
import { registryProto } from '../../proto/registry-proto.js';
import { checkJson, nodeJson } from './consul-catalog.js';
import { catalogCheckOf, catalogServiceOf } from './consul-catalog-writes.js';
import { HttpError } from './consul-errors.js';
import { jsonText, meta, objectOf, str, uint64, whole, type Obj } from './consul-json.js';
import { kvEntryJson } from './consul-kv.js';
import { checkDatacenter, jsonBody, queryOf, setIndexHeaders, tokenMetadata } from './consul-request.js';
import type { ServerCalls } from './server-calls.js';

/** Consul's limit on operations in one transaction. */
export const TXN_MAX_OPS = 64;

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** A KV operation: {Verb, Key, Value (base64), Flags, Index, Session}. */
function kvOpOf(raw: unknown, what: string): TxnOp {
  const o = objectOf(raw, what);
  const verb = str(o, 'verb', what);
  if (verb === '') throw new HttpError(400, `Failed to parse body: ${what}: missing Verb`);
  const v = o.value;
  if (v !== undefined && v !== null && (typeof v !== 'string' || !BASE64.test(v))) throw new HttpError(400, `Failed to parse body: ${what}.Value must be base64`);
  return { kv: { verb, key: Buffer.from(str(o, 'key', what)), value: typeof v === 'string' ? Buffer.from(v, 'base64') : Buffer.alloc(0), flags: uint64(o, 'flags', what).toString(), index: whole(o, 'index', what), session: str(o, 'session', what) } };
}

/** The ModifyIndex a catalog operation's cas names: in the object (Consul's), or beside it. */
const casIndexOf = (op: Obj, inner: Obj, what: string): number => whole(inner, 'modifyindex', what) || whole(op, 'index', what);

function nodeOpOf(raw: unknown, what: string): TxnOp {
  const o = objectOf(raw, what);
  const n = objectOf(o.node ?? {}, `${what}.Node`);
  return { node: { verb: str(o, 'verb', what), node: { name: str(n, 'node', `${what}.Node`), address: str(n, 'address', `${what}.Node`), datacenter: str(n, 'datacenter', `${what}.Node`), meta: meta(n.meta ?? n.nodemeta, `${what}.Node.Meta`) }, index: casIndexOf(o, n, what) } };
}

function serviceOpOf(raw: unknown, what: string): TxnOp {
  const o = objectOf(raw, what);
  const s = objectOf(o.service ?? {}, `${what}.Service`);
  const verb = str(o, 'verb', what);
  // A get or delete names the service by ID alone.
  const service = verb === 'set' || verb === 'cas' ? catalogServiceOf(o.service, `${what}.Service`) : { id: str(s, 'id', `${what}.Service`), name: '' };
  return { service: { verb, node: str(o, 'node', what), service, index: casIndexOf(o, s, what) } };
}

function checkOpOf(raw: unknown, what: string): TxnOp {
  const o = objectOf(raw, what);
  const c = objectOf(o.check ?? {}, `${what}.Check`);
  const node = str(c, 'node', `${what}.Check`);
  const verb = str(o, 'verb', what);
  const check = verb === 'set' || verb === 'cas' ? catalogCheckOf(o.check, `${what}.Check`, node) : { id: str(c, 'checkid', `${what}.Check`), node };
  return { check: { verb, check, index: casIndexOf(o, c, what) } };
}

function opOf(raw: unknown, i: number): TxnOp {
  const op = objectOf(raw, `operation ${i}`);
  if (op.kv !== undefined) return kvOpOf(op.kv, `operation ${i}: KV`);
  if (op.node !== undefined) return nodeOpOf(op.node, `operation ${i}: Node`);
  if (op.service !== undefined) return serviceOpOf(op.service, `operation ${i}: Service`);
  if (op.check !== undefined) return checkOpOf(op.check, `operation ${i}: Check`);
  throw new HttpError(400, `Failed to parse body: operation ${i}: want one of KV, Node, Service or Check`);
}

function resultJson(r: TxnResult__Output): Record<string, unknown> {
  if (r.kv) return { KV: kvEntryJson(r.kv) };
  if (r.node) return { Node: nodeJson(r.node) };
  if (r.service) {
    const s = r.service;
    return { Service: { ID: s.id, Service: s.name, Tags: s.tags, Address: s.address, Meta: s.meta, Port: s.port, Weights: { Passing: s.weights?.passing ?? 1, Warning: s.weights?.warning ?? 1 }, EnableTagOverride: false, CreateIndex: Number(s.createRevision), ModifyIndex: Number(s.modifyRevision) } };
  }
  return { Check: checkJson(r.check!, []) };
}

/**
 * Consul's /v1/txn on Roster's Txn service: KV operations (locks and flags included) and node,
 * service and check operations, in order, as one log entry, all or none. A transaction undone
 * by a failing operation answers 409 with that operation's index (Consul's shape); more than 64
 * operations, 413.
 */
export function addTxnRoutes(app: FastifyInstance, servers: ServerCalls, datacenter: string): void {
  const Txn = registryProto().roster.registry.v1.Txn;

  app.put('/v1/txn', async (req, reply) => {
    checkDatacenter(queryOf(req), datacenter);
    const body = jsonBody(req);
    if (!Array.isArray(body)) throw new HttpError(400, 'Failed to parse body: a transaction is a JSON list of operations');
    if (body.length > TXN_MAX_OPS) throw new HttpError(413, `Transaction contains too many operations (${body.length} > ${TXN_MAX_OPS})`);
    if (body.length === 0) return reply.code(200).type('application/json').send(JSON.stringify({ Results: null, Errors: null }));
    const r = await servers.unary(Txn, 'Apply', { ops: body.map((raw: unknown, i) => opOf(raw, i)) }, tokenMetadata(req));
    setIndexHeaders(reply, { index: Number(r.revision), knownLeader: true, lastContactMs: 0 });
    if (r.errors.length > 0) return reply.code(409).type('application/json').send(JSON.stringify({ Results: null, Errors: r.errors.map((e) => ({ OpIndex: e.opIndex, What: e.what })) }));
    return reply.code(200).type('application/json').send(jsonText({ Results: r.results.length === 0 ? null : r.results.map(resultJson), Errors: null }));
  });
}
