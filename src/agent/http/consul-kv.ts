import type { FastifyInstance } from 'fastify';
import { etcdProto } from '../../proto/etcd-proto.js';
import { registryProto } from '../../proto/registry-proto.js';
import { prefixEnd } from '../../util/prefix-end.js';
import { HttpError } from './consul-errors.js';
import { checkDatacenter, has, queryOf, setIndexHeaders, tokenMetadata, wholeOf } from './consul-request.js';
import type { ServerCalls } from './server-calls.js';
import { blockingOf, blockingRead } from './blocking.js';

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
  const end = prefixEnd(prefix);
  return end === undefined ? Buffer.from([0]) : Buffer.from(end);
}

/** A key's lock, as the registry keeps it beside the etcd key (src/store/registry/sessions.ts). */
interface LockOf {
  readonly session: string;
  readonly lockIndex: number;
}

/** A Consul KV entry. LockIndex and Session come from the key's lock record; Flags are not kept (always 0). */
export function entryOf(kv: KvOut, lock: LockOf | undefined): Record<string, unknown> {
  return {
    LockIndex: lock?.lockIndex ?? 0,
    Key: kv.key.toString('utf8'),
    Flags: 0,
    Value: kv.value.length === 0 ? null : kv.value.toString('base64'),
    ...(lock !== undefined && lock.session !== '' ? { Session: lock.session } : {}),
    CreateIndex: Number(kv.createRevision),
    ModifyIndex: Number(kv.modRevision),
  };
}

/**
 * Consul's /v1/kv on etcd's KV: one keyspace, so a key Consul clients write is the key etcdctl
 * reads. GET (recurse, keys with separator, raw), PUT (the raw body; cas), DELETE (recurse, cas).
 * A compare-and-set is an etcd transaction on the key's ModifyIndex (0: the key must not exist).
 */
export function addKvRoutes(app: FastifyInstance, servers: ServerCalls, datacenter: string): void {
  const KV = etcdProto().etcdserverpb.KV;
  const Locks = registryProto().roster.registry.v1.Locks;
  const keyOf = (params: unknown): string => (params as { '*': string })['*'] ?? '';

  app.get('/v1/kv/*', async (req, reply) => {
    const q = queryOf(req);
    checkDatacenter(q, datacenter);
    const key = Buffer.from(keyOf(req.params));
    const prefix = has(q, 'recurse') || has(q, 'keys');
    if (!prefix && key.length === 0) throw new HttpError(400, 'Missing key name');
    const rangeEnd = prefix ? rangeEndOf(key) : Buffer.alloc(0);
    const md = tokenMetadata(req);
    // Blocking (?index): an etcd watch on exactly these keys from the caller's index on wakes it.
    const r = await blockingRead(blockingOf(req), {
      subscribe: (wake) => servers.watchKeys(key, rangeEnd, Number(wholeOf(q, 'index') ?? 0n), md, wake),
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
        const cut = sep === '' ? -1 : k.indexOf(sep, key.length);
        keys.add(cut < 0 ? k : k.slice(0, cut + sep.length));
      }
      return reply.code(200).type('application/json').send(JSON.stringify([...keys]));
    }
    if (kvs.length === 0) return reply.code(404).send();
    if (has(q, 'raw')) return reply.code(200).type('application/octet-stream').send(kvs[0]!.value);
    // The locks on what was read (one call for a whole prefix), read after the keys: a lock taken in between shows, as it would a moment later.
    const held = await servers.unary(Locks, 'Get', { key, rangeEnd: prefix ? rangeEndOf(key) : Buffer.alloc(0), options: { consistency: has(q, 'stale') ? 'STALE' : 'CONSISTENT' } }, md);
    const lockList = prefix ? held.locks : held.lock === null ? [] : [held.lock];
    const locks = new Map(lockList.map((l) => [l.key.toString('latin1'), { session: l.session, lockIndex: Number(l.lockIndex) }]));
    return reply.code(200).type('application/json').send(JSON.stringify(kvs.map((kv) => entryOf(kv, locks.get(kv.key.toString('latin1'))))));
  });

  app.put('/v1/kv/*', async (req, reply) => {
    const q = queryOf(req);
    checkDatacenter(q, datacenter);
    const key = Buffer.from(keyOf(req.params));
    if (key.length === 0) throw new HttpError(400, 'Missing key name');
    const flags = wholeOf(q, 'flags');
    if (flags !== undefined && flags !== 0n) throw new HttpError(400, 'Flags are not kept by Roster yet: only flags=0 is accepted');
    const value = (req.body as Buffer | undefined) ?? Buffer.alloc(0);
    if (value.length > KV_MAX_VALUE_BYTES) throw new HttpError(413, `Value exceeds ${KV_MAX_VALUE_BYTES} byte limit`);
    const md = tokenMetadata(req);
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
    const range = { key, rangeEnd: recurse ? rangeEndOf(key) : Buffer.alloc(0) };
    if (cas === undefined || recurse) {
      await servers.unary(KV, 'DeleteRange', range, md);
      return reply.code(200).type('application/json').send('true');
    }
    const r = await servers.unary(KV, 'Txn', { compare: [{ target: 'MOD', result: 'EQUAL', key, modRevision: cas.toString() }], success: [{ requestDeleteRange: range }], failure: [] }, md);
    return reply.code(200).type('application/json').send(r.succeeded ? 'true' : 'false');
  });
}
