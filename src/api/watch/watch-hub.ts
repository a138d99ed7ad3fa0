import type { KeyValue, KvEvent, RevisionEvents } from '../../store/kv/types.js';
import { isRosterError, RosterError } from '../../util/errors.js';
import type { Logger } from '../../util/logger.js';
import { anyRangeHolds, type KeyRange } from './key-range.js';
import { RangeIndex } from './range-index.js';

/** What the hub reads: the server's applied store (it changes object on a snapshot install). */
export interface HubStore {
  revision(): number;
  compactRevision(): number;
  allEvents(fromRevision: number, limit: number): Promise<RevisionEvents[]>;
  valueAt(key: Uint8Array, revision: number): Promise<KeyValue | undefined>;
}

/** One change as the hub hands it out: read once, shared by every subscriber it matches. */
export class HubEvent {
  private prevLoad: Promise<void> | undefined;
  /** The key as it was just before this change, once loadPrev() resolved (undefined for a creation). */
  prevValue: KeyValue | undefined;
  /** Encodings of this event, made once for all subscribers that want the same form. */
  readonly encoded = new Map<string, Uint8Array>();

  constructor(
    readonly revision: number,
    readonly event: KvEvent,
    private readonly store: HubStore,
  ) {}

  /** Reads the previous value (prevValue) once, however many subscribers want it. */
  loadPrev(): Promise<void> {
    if (this.event.prev !== undefined) {
      // The apply that wrote this change knew what it replaced: no read needed.
      this.prevValue = this.event.prev ?? undefined;
      return Promise.resolve();
    }
    if (this.event.type === 'put' && this.event.kv.version === 1) return Promise.resolve();
    this.prevLoad ??= this.store.valueAt(this.event.kv.key, this.revision - 1).then((kv) => {
      this.prevValue = kv;
    });
    return this.prevLoad;
  }
}

/** A consumer of changes: one watcher, or a group of identical watchers served as one. */
export interface WatchSubscriber {
  readonly ranges: readonly KeyRange[];
  /** The previous value of each delivered event is loaded before delivery. */
  readonly wantsPrev: boolean;
  /**
   * Every matching change of the revisions after the previous delivery up to `through`, in
   * order, never twice. While replaying history it is called for every page, `events` possibly
   * empty (it learns how far it has come); once synced, only when a change touches its ranges:
   * a synced subscriber is current to the hub's revision without being told.
   */
  deliver(events: readonly HubEvent[], through: number): void;
  /** The subscription ended: the history it needs was compacted (COMPACTED) or the hub failed. */
  fail(err: RosterError): void;
}

interface Subscription {
  readonly sub: WatchSubscriber;
  /** The first revision this subscriber has not been given yet. */
  next: number;
}

/** Revisions read from history per round while catching a subscriber up. */
const CATCH_UP_PAGE = 200;

/**
 * The watch hub of one server: every change the server applies, read ONCE from the store and
 * handed to every subscriber whose key ranges it touches. etcd's watchable store, in miniature:
 *
 * - synced subscribers are at the hub's revision; each new batch of changes is read once and
 *   dispatched to those whose ranges it touches (found through a RangeIndex: the others are not
 *   visited at all, so a change costs what it wakes, not what is watched);
 * - unsynced ones started from an older revision; they catch up from the store's history in
 *   pages, the ones needing the same revisions served by the same read, and join the synced
 *   set exactly when they reach the hub's revision, so nothing is missed or given twice.
 *
 * Everything runs in one serialized pump, so the hub's revision moves only between deliveries.
 */
export class WatchHub {
  private readonly synced = new Set<Subscription>();
  private readonly syncedByRange = new RangeIndex<Subscription>();
  private readonly unsynced = new Set<Subscription>();
  private readonly bySub = new Map<WatchSubscriber, Subscription>();
  private current: number;
  private pumping = false;
  private again = false;
  private stopped = false;

  constructor(
    private readonly store: () => HubStore,
    private readonly logger: Logger,
  ) {
    this.current = store().revision();
  }

  /** The newest revision every synced subscriber has been given. */
  get revision(): number {
    return this.current;
  }

  get subscribers(): number {
    return this.bySub.size;
  }

  /**
   * Delivers every matching change from revision `from` on. `from` at or below the hub's
   * revision replays history first; a later `from` waits for that revision.
   */
  subscribe(sub: WatchSubscriber, from: number): void {
    const s: Subscription = { sub, next: Math.max(1, from) };
    this.bySub.set(sub, s);
    if (s.next <= this.current) {
      this.unsynced.add(s);
      this.kick();
    } else {
      this.markSynced(s);
    }
  }

  private markSynced(s: Subscription): void {
    this.synced.add(s);
    this.syncedByRange.add(s, s.sub.ranges);
  }

  /** Is this subscriber at the hub's revision (not replaying history)? */
  isSynced(sub: WatchSubscriber): boolean {
    const s = this.bySub.get(sub);
    return s !== undefined && this.synced.has(s);
  }

  unsubscribe(sub: WatchSubscriber): void {
    const s = this.bySub.get(sub);
    if (s === undefined) return;
    this.bySub.delete(sub);
    this.synced.delete(s);
    this.syncedByRange.delete(s);
    this.unsynced.delete(s);
  }

  /** The store applied more: deliver it. Cheap to call after every batch. */
  kick(): void {
    if (this.stopped) return;
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = true;
    void this.pump();
  }

  stop(): void {
    this.stopped = true;
    const err = new RosterError('UNAVAILABLE', 'roster: server stopping');
    for (const s of [...this.bySub.values()]) this.end(s, err);
  }

  private async pump(): Promise<void> {
    try {
      do {
        this.again = false;
        await this.advance();
        await this.catchUp();
      } while (this.again && !this.stopped);
    } catch (err) {
      // The store failed under us: every subscriber ends and reconnects; the hub restarts at
      // the store's revision.
      this.logger.error('watch hub failed', { error: String(err) });
      const e = isRosterError(err) ? err : new RosterError('UNAVAILABLE', `roster: watch delivery failed: ${String(err)}`);
      for (const s of [...this.bySub.values()]) this.end(s, e);
      this.current = this.store().revision();
    } finally {
      this.pumping = false;
    }
    if (this.again && !this.stopped) this.kick();
  }

  /** Reads what the store applied since the hub's revision and gives it to synced subscribers. */
  private async advance(): Promise<void> {
    const store = this.store();
    while (this.current < store.revision() && !this.stopped) {
      const target = store.revision();
      let groups: RevisionEvents[];
      try {
        groups = await store.allEvents(this.current + 1, CATCH_UP_PAGE);
      } catch (err) {
        if (!isRosterError(err, 'COMPACTED')) throw err;
        // History this hub had not delivered yet is gone (a snapshot install or a compaction
        // overtook it): synced subscribers cannot be served without a gap, so they end.
        for (const s of [...this.synced]) this.end(s, compactedAt(store.compactRevision()));
        this.current = target;
        continue;
      }
      const through = groups.length < CATCH_UP_PAGE ? target : groups[groups.length - 1]!.revision;
      const events = this.toEvents(groups, store);
      const woken = new Set<Subscription>();
      for (const e of events) this.syncedByRange.forEachHolding(e.event.kv.key, (sub) => woken.add(sub));
      await this.dispatch([...woken], events, through);
      this.current = through;
    }
  }

  /** Replays history to unsynced subscribers until each reaches the hub's revision. */
  private async catchUp(): Promise<void> {
    const store = this.store();
    while (this.unsynced.size > 0 && !this.stopped) {
      let from = Infinity;
      for (const s of this.unsynced) from = Math.min(from, s.next);
      const compacted = store.compactRevision();
      if (from < compacted) {
        for (const s of [...this.unsynced]) if (s.next < compacted) this.end(s, compactedAt(compacted));
        continue;
      }
      const groups = await store.allEvents(from, CATCH_UP_PAGE);
      const through = groups.length < CATCH_UP_PAGE ? this.current : Math.min(this.current, groups[groups.length - 1]!.revision);
      const events = this.toEvents(groups.filter((g) => g.revision <= through), store);
      const ready = [...this.unsynced].filter((s) => s.next <= through + 1);
      await this.dispatch(ready, events, through);
      for (const s of ready) {
        if (s.next > this.current && this.bySub.has(s.sub)) {
          this.unsynced.delete(s);
          this.markSynced(s);
        }
      }
    }
  }

  private toEvents(groups: readonly RevisionEvents[], store: HubStore): HubEvent[] {
    const out: HubEvent[] = [];
    for (const g of groups) for (const e of g.events) out.push(new HubEvent(g.revision, e, store));
    return out;
  }

  /** Gives each subscriber the events it has not seen that match it, up to `through`. */
  private async dispatch(subs: readonly Subscription[], events: readonly HubEvent[], through: number): Promise<void> {
    const batches: { s: Subscription; mine: HubEvent[] }[] = [];
    const prevs: Promise<unknown>[] = [];
    for (const s of subs) {
      if (s.next > through) continue;
      const mine: HubEvent[] = [];
      for (const e of events) {
        if (e.revision >= s.next && anyRangeHolds(s.sub.ranges, e.event.kv.key)) {
          mine.push(e);
          if (s.sub.wantsPrev) prevs.push(e.loadPrev());
        }
      }
      batches.push({ s, mine });
    }
    if (prevs.length > 0) await Promise.all(prevs);
    for (const { s, mine } of batches) {
      if (!this.bySub.has(s.sub)) continue; // unsubscribed while previous values loaded
      s.next = through + 1;
      try {
        s.sub.deliver(mine, through);
      } catch (err) {
        this.logger.warn('a watch subscriber failed; ending it', { error: String(err) });
        this.end(s, new RosterError('INTERNAL', `roster: watch delivery failed: ${String(err)}`));
      }
    }
  }

  private end(s: Subscription, err: RosterError): void {
    this.unsubscribe(s.sub);
    try {
      s.sub.fail(err);
    } catch {
      // a subscriber that fails while failing has nothing left to tell
    }
  }
}

function compactedAt(compactRevision: number): RosterError {
  return new RosterError('COMPACTED', 'etcdserver: mvcc: required revision has been compacted', { compactRevision });
}
