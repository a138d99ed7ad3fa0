import { RosterError } from '../../util/errors.js';
import { EMPTY_BYTES } from './bytes.js';
import { decodeEventKey, eventKey, historyKey, keyspaceEnd, PREFIX_EVENT } from './layout.js';
import type { OrderedKvReader } from './ordered-kv.js';
import { decodeEventRecord, decodeVersionRecord } from './records.js';
import type { KeyValue, KvEvent, RevisionEvents } from './types.js';

/** etcd's delete event KeyValue: only the key and the delete's revision. */
function tombstoneKv(key: Uint8Array, revision: number): KeyValue {
  return { key, createRevision: 0, modRevision: revision, version: 0, value: EMPTY_BYTES, lease: 0n };
}

/**
 * The change events of revisions >= fromRevision, grouped by revision in order, at most `limit`
 * revisions (<= 0: no limit). A revision is never split, so a txn's changes arrive together.
 * The caller checks fromRevision against the compact revision (events below it are gone).
 *
 * A put event's KeyValue is read from history (layout.ts): one point read per put event.
 */
export async function readEvents(kv: OrderedKvReader, fromRevision: number, limit: number): Promise<RevisionEvents[]> {
  const out: { revision: number; events: KvEvent[] }[] = [];
  const from = Math.max(fromRevision, 0);
  for await (const e of kv.scan({ gte: eventKey(from, 0), lt: keyspaceEnd(PREFIX_EVENT) })) {
    const { main, sub } = decodeEventKey(e.key);
    let group = out[out.length - 1];
    if (group === undefined || group.revision !== main) {
      if (limit > 0 && out.length >= limit) break;
      group = { revision: main, events: [] };
      out.push(group);
    }
    const record = decodeEventRecord(e.value);
    let eventKv: KeyValue;
    if (record.type === 'put') {
      const bytes = await kv.get(historyKey(record.key, main, sub));
      const version = bytes === undefined ? undefined : decodeVersionRecord(record.key, bytes);
      if (version?.kind !== 'put') throw new RosterError('CORRUPT', `kv events: no history for the put at revision ${main}.${sub}`);
      eventKv = version.kv;
    } else {
      eventKv = tombstoneKv(record.key, main);
    }
    group.events.push({ type: record.type, kv: eventKv, prevModRevision: record.prevModRevision, sub });
  }
  return out;
}
