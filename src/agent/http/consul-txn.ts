import type { FastifyInstance } from 'fastify';
import type { Compare } from '../../gen/etcd/etcdserverpb/Compare.js';
import type { RequestOp } from '../../gen/etcd/etcdserverpb/RequestOp.js';
import { etcdProto } from '../../proto/etcd-proto.js';
import { HttpError } from './consul-errors.js';
import { checkDatacenter, jsonBody, queryOf, setIndexHeaders, tokenMetadata } from './consul-request.js';
import type { ServerCalls } from './server-calls.js';
import { entryOf, rangeEndOf, type KvOut } from './consul-kv.js';

/** Consul's limit on operations in one transaction. */
export const TXN_MAX_OPS = 64;

interface KvOp {
  readonly verb: string;
  readonly key: Buffer;
  readonly value: Buffer;
  readonly index: bigint;
}


/** A check in the transaction: which op asked for it, and how to say it failed. */
interface Check {
  readonly opIndex: number;
  readonly key: Buffer;
  readonly compare: Compare;
  /** Why it failed, given the key as it is (undefined: missing). */
  readonly why: (current: KvOut | undefined) => string;
}

/** What to answer for a success op: nothing, or the KV entries of a response op. */
type ResultOf = { readonly kind: 'none' } | { readonly kind: 'entries'; readonly at: number };

const field = (o: Record<string, unknown>, name: string): unknown => o[name] ?? o[name.toLowerCase()];

function parseKvOp(raw: unknown, i: number): KvOp {
  if (typeof raw !== 'object' || raw === null) throw new HttpError(400, `Failed to parse body: operation ${i}: KV must be an object`);
  const o = raw as Record<string, unknown>;
  const verb = field(o, 'Verb');
  const key = field(o, 'Key');
  if (typeof verb !== 'string') throw new HttpError(400, `Failed to parse body: operation ${i}: missing Verb`);
  if (typeof key !== 'string') throw new HttpError(400, `Failed to parse body: operation ${i}: missing Key`);
  const v = field(o, 'Value');
  if (v !== undefined && v !== null && (typeof v !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(v))) throw new HttpError(400, `Failed to parse body: operation ${i}: Value must be base64`);
  const index = field(o, 'Index');
  if (index !== undefined && (typeof index !== 'number' || !Number.isSafeInteger(index) || index < 0)) throw new HttpError(400, `Failed to parse body: operation ${i}: Index must be a non-negative integer`);
  const flags = field(o, 'Flags');
  if (flags !== undefined && flags !== 0) throw new HttpError(400, `operation ${i}: Flags are not kept by Roster: only 0 is accepted`);
  return { verb, key: Buffer.from(key), value: typeof v === 'string' ? Buffer.from(v, 'base64') : Buffer.alloc(0), index: BigInt(index ?? 0) };
}



/**
 * Consul's /v1/txn for KV operations, as one etcd transaction: the checks (cas, check-index,
 * check-not-exists, get's existence, delete-cas) are its compares, the rest its operations in
 * order, so it applies whole or not at all. When it does not, the failure branch reads the
 * checked keys and the first failing check is reported with its OpIndex (409, Consul's shape).
 * Checks see the state before the transaction (Consul's see earlier operations of the same
 * transaction); locks in transactions and Node/Service/Check operations are not served yet.
 */
export function addTxnRoutes(app: FastifyInstance, servers: ServerCalls, datacenter: string): void {
  const KV = etcdProto().etcdserverpb.KV;

  app.put('/v1/txn', async (req, reply) => {
    checkDatacenter(queryOf(req), datacenter);
    const body = jsonBody(req);
    if (!Array.isArray(body)) throw new HttpError(400, 'Failed to parse body: a transaction is a JSON list of operations');
    if (body.length > TXN_MAX_OPS) throw new HttpError(413, `Transaction contains too many operations (${body.length} > ${TXN_MAX_OPS})`);
    const checks: Check[] = [];
    const success: RequestOp[] = [];
    const results: ResultOf[] = [];
    body.forEach((raw: unknown, i) => {
      const op = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
      if (op.KV === undefined) {
        const kind = Object.keys(op)[0] ?? 'an empty object';
        throw new HttpError(400, `operation ${i}: ${kind} operations are not served by Roster's /v1/txn yet (KV only)`);
      }
      const kv = parseKvOp(op.KV, i);
      const k = kv.key.toString('utf8');
      const modIs = (index: bigint, what: string): Check =>
        index === 0n
          ? { opIndex: i, key: kv.key, compare: { target: 'CREATE', result: 'EQUAL', key: kv.key, createRevision: '0' }, why: () => `failed to ${what} key "${k}", it exists` }
          : { opIndex: i, key: kv.key, compare: { target: 'MOD', result: 'EQUAL', key: kv.key, modRevision: index.toString() }, why: (cur) => (cur === undefined ? `failed to ${what} key "${k}", it does not exist` : `failed to ${what} key "${k}", index is stale (current modify index ${cur.modRevision} != ${index})`) };
      const put = (): void => {
        success.push({ requestPut: { key: kv.key, value: kv.value } });
        success.push({ requestRange: { key: kv.key } });
        results.push({ kind: 'entries', at: success.length - 1 });
      };
      switch (kv.verb) {
        case 'set':
          put();
          break;
        case 'cas':
          checks.push(modIs(kv.index, 'set'));
          put();
          break;
        case 'get':
          checks.push({ opIndex: i, key: kv.key, compare: { target: 'VERSION', result: 'GREATER', key: kv.key, version: '0' }, why: () => `key "${k}" doesn't exist` });
          success.push({ requestRange: { key: kv.key } });
          results.push({ kind: 'entries', at: success.length - 1 });
          break;
        case 'get-tree':
          success.push({ requestRange: { key: kv.key, rangeEnd: rangeEndOf(kv.key) } });
          results.push({ kind: 'entries', at: success.length - 1 });
          break;
        case 'check-index':
          checks.push({ ...modIs(kv.index, 'check'), why: (cur) => (cur === undefined ? `key "${k}" doesn't exist` : `current modify index ${cur.modRevision} != ${kv.index}`) });
          break;
        case 'check-not-exists':
          checks.push({ opIndex: i, key: kv.key, compare: { target: 'VERSION', result: 'EQUAL', key: kv.key, version: '0' }, why: () => `key "${k}" exists` });
          break;
        case 'delete':
          success.push({ requestDeleteRange: { key: kv.key } });
          break;
        case 'delete-tree':
          success.push({ requestDeleteRange: { key: kv.key, rangeEnd: rangeEndOf(kv.key) } });
          break;
        case 'delete-cas':
          checks.push(modIs(kv.index, 'delete'));
          success.push({ requestDeleteRange: { key: kv.key } });
          break;
        case 'lock':
        case 'unlock':
        case 'check-session':
          throw new HttpError(400, `operation ${i}: "${kv.verb}" is not served in Roster's transactions yet: use PUT /v1/kv/KEY?acquire= and ?release=`);
        default:
          throw new HttpError(400, `operation ${i}: unknown KV verb "${kv.verb}"`);
      }
    });
    const r = await servers.unary(KV, 'Txn', { compare: checks.map((c) => c.compare), success, failure: checks.map((c) => ({ requestRange: { key: c.key } })) }, tokenMetadata(req));
    const revision = Number(r.header?.revision ?? 0);
    setIndexHeaders(reply, { index: revision, knownLeader: true, lastContactMs: 0 });
    const responses = r.responses;
    const rangeOf = (at: number): KvOut[] => responses[at]?.responseRange?.kvs ?? [];
    if (!r.succeeded) {
      const errors = checks
        .map((c, n) => {
          const current = rangeOf(n)[0];
          return holds(c.compare, current) ? undefined : { OpIndex: c.opIndex, What: c.why(current) };
        })
        .filter((e) => e !== undefined);
      return reply.code(409).type('application/json').send(JSON.stringify({ Results: null, Errors: errors.slice(0, 1) }));
    }
    const out: unknown[] = [];
    for (const res of results) if (res.kind === 'entries') for (const kv of rangeOf(res.at)) out.push({ KV: { ...entryOf(kv, undefined), ...(isAfterPut(success, res.at) ? { Value: null } : {}) } });
    return reply.code(200).type('application/json').send(JSON.stringify({ Results: out, Errors: null }));
  });
}

/** The range that follows a put reads the entry back for the result: Consul returns a set's entry without its value. */
function isAfterPut(ops: readonly RequestOp[], at: number): boolean {
  return at > 0 && ops[at - 1]?.requestPut !== undefined;
}

/** Whether an etcd compare holds for the key as read (undefined: missing). */
function holds(c: Compare, kv: KvOut | undefined): boolean {
  switch (c.target) {
    case 'CREATE':
      return (kv === undefined ? '0' : kv.createRevision) === c.createRevision;
    case 'MOD':
      return kv !== undefined && kv.modRevision === c.modRevision;
    case 'VERSION':
      return c.result === 'GREATER' ? kv !== undefined : kv === undefined;
    default:
      return true;
  }
}
