import type { FastifyInstance } from 'fastify';
import { etcdProto } from '../../proto/etcd-proto.js';
import { registryProto } from '../../proto/registry-proto.js';
import { prefixRangeEnd } from '../../util/prefix-end.js';
import { HttpError } from './consul-errors.js';
import { checkDatacenter, has, queryOf, setIndexHeaders, tokenMetadata, wholeOf } from './consul-request.js';
import type { ServerCalls } from './server-calls.js';
import { blockingOf, blockingRead, subscribeAll } from './blocking.js';
import { exactUint64, jsonText } from './consul-json.js';
import type { KvEntry__Output } from '../../gen/registry/roster/registry/v1/KvEntry.js';

/** Consul's largest value (kv_max_value_size). */
export const KV_MAX_VALUE_BYTES = 512 * 1024;

export interface KvOut {
  key: Buffer;
  value: Buffer;
  createRevision: string;
  modRevision: string;
  lease: string;
}

/** etcd's "every key from here on" range end for a prefix (a zero byte when nothing follows). */
export function rangeEndOf(prefix: Buffer): Buffer {
  return Buffer.from(prefixRangeEnd(prefix));
}

/**
 * The first key of a prefix read: the prefix itself, or for the empty prefix (Consul's
 * `/v1/kv/?recurse`, the whole keyspace) one zero byte, since etcd refuses an empty key
 * ("key is not provided") and spells "every key" as [\0, \0).
 */
export const prefixStartOf = (prefix: Buffer): Buffer => (prefix.length === 0 ? Buffer.of(0) : prefix);

/** A KV entry as Consul writes it: Value only where the operation returns it, Flags exact. */
export function kvEntryJson(e: Pick<KvEntry__Output, 'key' | 'value' | 'hasValue' | 'flags' | 'lockIndex' | 'session' | 'createRevision' | 'modifyRevision'>): Record<string, unknown> {
  return {
    LockIndex: Number(e.lockIndex),
    Key: e.key.toString('utf8'),
    Flags: exactUint64(e.flags),
    Value: e.hasValue && e.value.length > 0 ? e.value.toString('base64') : null,
    ...(e.session !== '' ? { Session: e.session } : {}),
    CreateIndex: Number(e.createRevision),
    ModifyIndex: Number(e.modifyRevision),
  };
}

/** What the registry keeps beside an etcd key for Consul: its lock (sessions.ts) and its value's flags (kv-flags.ts). */
interface KeyMeta {
  readonly session: string;
  readonly lockIndex: string;
  readonly flags: string;
}

/** A Consul KV entry: the etcd key, with LockIndex, Session and Flags from what the registry keeps beside it. */
function entryOf(kv: KvOut, m: KeyMeta | undefined): Record<string, unknown> {
  return kvEntryJson({ key: kv.key, value: kv.value, hasValue: true, flags: m?.flags ?? '0', lockIndex: m?.lockIndex ?? '0', session: m?.session ?? '', createRevision: kv.createRevision, modifyRevision: kv.modRevision });
}

/**
 * Consul's /v1/kv on etcd's KV: one keyspace, so a key Consul clients write is the key etcdctl
 * reads. GET (recurse, keys with separator, raw), PUT (the raw body; cas), DELETE (recurse, cas).
 * A compare-and-set is an etcd transaction on the key's ModifyIndex (0: the key must not exist).
 */
export function addKvRoutes(app: FastifyInstance, servers: ServerCalls, datacenter: string): void {
  const KV = etcdProto().etcdserverpb.KV;
  const Locks = registryProto().roster.registry.v1.Locks;
  const Txn = registryProto().roster.registry.v1.Txn;
  const keyOf = (params: unknown): string => (params as { '*': string })['*'] ?? '';

  app.get('/v1/kv/*', async (req, reply) => {
    const q = queryOf(req);
    checkDatacenter(q, datacenter);
    const asked = Buffer.from(keyOf(req.params));
    const prefix = has(q, 'recurse') || has(q, 'keys');
    if (!prefix && asked.length === 0) throw new HttpError(400, 'Missing key name');
    const key = prefix ? prefixStartOf(asked) : asked;
    const rangeEnd = prefix ? rangeEndOf(asked) : Buffer.alloc(0);
    const md = tokenMetadata(req);
    // Blocking (?index): an etcd watch on exactly these keys from the caller's index on wakes
    // it, and so does a registry watch of their locks: a lock taken or released (by ?release, or
    // by its session's end) changes the Session and LockIndex shown, though not the key itself.
    const after = Number(wholeOf(q, 'index') ?? 0n);
    const r = await blockingRead(blockingOf(req), {
      subscribe: (wake) => subscribeAll([(w) => servers.watchKeys(key, rangeEnd, after, md, w), (w) => servers.watchRegistry({ lock: { key, rangeEnd } }, after, md, w)], wake),
      read: () => servers.unary(KV, 'Range', { key, rangeEnd, keysOnly: has(q, 'keys'), serializable: has(q, 'stale') }, md),
      newer: () => false,
      wakeMeansChanged: true,
    });
    const revision = Number(r.header?.revision ?? 0);
    setIndexHeaders(reply, { index: revision, knownLeader: true, lastContactMs: 0 });
    const kvs = r.kvs as unknown as KvOut[];
    if (has(q, 'keys')) {
      const sep = q.separator ?? '';
      const keys = new Set<string>();
      for (const kv of kvs) {
        const k = kv.key.toString('utf8');
        const cut = sep === '' ? -1 : k.indexOf(sep, asked.length);
        keys.add(cut < 0 ? k : k.slice(0, cut + sep.length));
      }
      return reply.code(200).type('application/json').send(JSON.stringify([...keys]));
    }
    if (kvs.length === 0) return reply.code(404).send();
    if (has(q, 'raw')) return reply.code(200).type('application/octet-stream').send(kvs[0]!.value);
    // The locks on what was read (one call for a whole prefix), read after the keys: a lock taken in between shows, as it would a moment later.
    const held = await servers.unary(Locks, 'Get', { key, rangeEnd, options: { consistency: has(q, 'stale') ? 'STALE' : 'CONSISTENT' } }, md);
    const lockList = prefix ? held.locks : held.lock === null ? [] : [held.lock];
    const locks = new Map(lockList.map((l) => [l.key.toString('latin1'), l]));
    return reply.code(200).type('application/json').send(jsonText(kvs.map((kv) => entryOf(kv, locks.get(kv.key.toString('latin1'))))));
  });

  app.put('/v1/kv/*', async (req, reply) => {
    const q = queryOf(req);
    checkDatacenter(q, datacenter);
    const key = Buffer.from(keyOf(req.params));
    if (key.length === 0) throw new HttpError(400, 'Missing key name');
    const flags = wholeOf(q, 'flags') ?? 0n;
    if (flags >= 1n << 64n) throw new HttpError(400, 'Invalid flags: must be a uint64');
    const value = (req.body as Buffer | undefined) ?? Buffer.alloc(0);
    if (value.length > KV_MAX_VALUE_BYTES) throw new HttpError(413, `Value exceeds ${KV_MAX_VALUE_BYTES} byte limit`);
    const md = tokenMetadata(req);
    if (flags !== 0n) {
      // Flags are kept with the value they are written with, so such a write is the registry's
      // (a one-operation transaction): a set, cas, lock or unlock.
      const cas = wholeOf(q, 'cas');
      const verb = q.acquire !== undefined ? 'lock' : q.release !== undefined ? 'unlock' : cas !== undefined ? 'cas' : 'set';
      const r = await servers.unary(Txn, 'Apply', { ops: [{ kv: { verb, key, value, flags: flags.toString(), index: String(cas ?? 0n), session: q.acquire ?? q.release ?? '' } }] }, md);
      return reply.code(200).type('application/json').send(r.errors.length === 0 ? 'true' : 'false');
    }
    if (q.acquire !== undefined) {
      // Consul's acquire: the session takes the lock and writes the value (the holder again: updates it).
      const r = await servers.unary(Locks, 'Acquire', { key, value, session: q.acquire }, md);
      return reply.code(200).type('application/json').send(r.acquired ? 'true' : 'false');
    }
    if (q.release !== undefined) {
      // Consul's release also writes the body: as the holder (an acquire again), then the release.
      if (value.length > 0) {
        const w = await servers.unary(Locks, 'Acquire', { key, value, session: q.release }, md);
        if (!w.acquired || w.holder !== q.release) return reply.code(200).type('application/json').send('false');
      }
      const r = await servers.unary(Locks, 'Release', { key, session: q.release }, md);
      return reply.code(200).type('application/json').send(r.released ? 'true' : 'false');
    }
    const cas = wholeOf(q, 'cas');
    if (cas === undefined) {
      await servers.unary(KV, 'Put', { key, value }, md);
      return reply.code(200).type('application/json').send('true');
    }
    const compare = cas === 0n ? { target: 'CREATE' as const, result: 'EQUAL' as const, key, createRevision: '0' } : { target: 'MOD' as const, result: 'EQUAL' as const, key, modRevision: cas.toString() };
    const r = await servers.unary(KV, 'Txn', { compare: [compare], success: [{ requestPut: { key, value } }], failure: [] }, md);
    return reply.code(200).type('application/json').send(r.succeeded ? 'true' : 'false');
  });

  app.delete('/v1/kv/*', async (req, reply) => {
    const q = queryOf(req);
    checkDatacenter(q, datacenter);
    const key = Buffer.from(keyOf(req.params));
    const recurse = has(q, 'recurse');
    if (!recurse && key.length === 0) throw new HttpError(400, 'Missing key name');
    const md = tokenMetadata(req);
    const cas = wholeOf(q, 'cas');
    const range = recurse ? { key: prefixStartOf(key), rangeEnd: rangeEndOf(key) } : { key, rangeEnd: Buffer.alloc(0) };
    if (cas === undefined || recurse) {
      await servers.unary(KV, 'DeleteRange', range, md);
      return reply.code(200).type('application/json').send('true');
    }
    const r = await servers.unary(KV, 'Txn', { compare: [{ target: 'MOD', result: 'EQUAL', key, modRevision: cas.toString() }], success: [{ requestDeleteRange: range }], failure: [] }, md);
    return reply.code(200).type('application/json').send(r.succeeded ? 'true' : 'false');
  });
}
