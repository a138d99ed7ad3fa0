import type { QueryMeta } from '../../gen/registry/roster/registry/v1/QueryMeta.js';
import type { QueryOptions__Output } from '../../gen/registry/roster/registry/v1/QueryOptions.js';
import type { OrderedKvReader } from '../../store/kv/ordered-kv.js';
import { RosterError } from '../../util/errors.js';
import { NO_NODE } from '../../util/ids.js';
import type { CallContext } from '../call-context.js';
import type { Leadership, Reads, ServedBy } from '../server-interfaces.js';
import { int64In } from './registry-convert.js';

/** What a query read, and the revision index it reports (a service's modify index, if any). */
export interface QueryResult<T> {
  readonly value: T;
  readonly index?: number;
}

/**
 * Runs a registry read under its consistency mode. CONSISTENT: a ReadIndex barrier first, so the
 * answer includes every write acknowledged before the call (any server can serve it). STALE:
 * this server's state at once, refused if it last heard from a leader more than max_stale_ms
 * ago. Either way the answer says which revision it reflects and how fresh its server is.
 */
/** What a registry read needs of its server. */
export type QueryServer = ServedBy & Leadership & Reads;

export async function runQuery<T>(b: QueryServer, options: QueryOptions__Output | null, ctx: CallContext, read: (kv: OrderedKvReader) => Promise<QueryResult<T>>): Promise<{ value: T; meta: QueryMeta }> {
  const stale = options?.consistency === 'STALE';
  if (stale) {
    const max = int64In(options.maxStaleMs, 'options.max_stale_ms');
    const since = b.leader() === NO_NODE ? Infinity : b.msSinceLeaderContact();
    if (max > 0 && since > max) {
      throw new RosterError('STALE', `this server last heard from a leader ${Number.isFinite(since) ? `${since}ms ago` : 'never (no leader)'}, more than max_stale_ms=${max}`);
    }
  } else {
    await b.readBarrier(ctx.deadline);
  }
  const { value, index, revision } = await b.mvcc.read(async (v) => ({ ...(await read(v.kv)), revision: v.revision }));
  const leader = b.leader();
  return {
    value,
    meta: {
      revision: String(revision),
      index: String(index !== undefined && index > 0 ? index : revision),
      servedBy: b.identity.name,
      knownLeader: leader,
      lastContactMs: String(leader === NO_NODE ? -1 : b.msSinceLeaderContact()),
      stale,
    },
  };
}
