import * as grpc from '@grpc/grpc-js';
import type { WatchCreate__Output } from '../../gen/registry/roster/registry/v1/WatchCreate.js';
import type { WatchRequest__Output } from '../../gen/registry/roster/registry/v1/WatchRequest.js';
import { isRosterError, type RosterError } from '../../util/errors.js';
import { NO_NODE } from '../../util/ids.js';
import type { Logger } from '../../util/logger.js';
import { noteDropped } from '../../util/dropped.js';
import type { ApiSettings, Leadership, Reads } from '../server-interfaces.js';
import { grpcError } from '../grpc-errors.js';
import type { KeyRange } from '../watch/key-range.js';
import { StreamBudget } from '../watch/stream-budget.js';
import type { HubEvent, WatchHub, WatchSubscriber } from '../watch/watch-hub.js';
import { encodeChangeField, encodeRegistryWatchResponse, KIND, type RegistryWatchResponse } from './watch-encoding.js';
import { targetOf, type WatchTarget } from './watch-targets.js';
import { visibleTarget } from './watch-visibility.js';
import { ALLOW_ALL } from '../access/access-rules.js';
import type { Authorizer, Decision } from '../../store/acl/authorizer.js';
import { keyReadBytes } from '../../store/acl/key-ranges.js';

/**
 * What a registry watch needs of the stream's token, checked as it is created: a node node:read
 * on it, a lock key:read (one record each, as a read of it; a range of locks is a list). Lists (a service's instances, every
 * service, checks) need nothing: they are filtered to what the token may read
 * (watch-visibility.ts), as Consul filters its lists, never refused whole.
 */
function watchNeeds(req: WatchCreate__Output, authz: Authorizer): Decision[] {
  if (req.node != null) return [authz.nodeRead(req.node.node)];
  // A range of locks is filtered lock by lock (watch-visibility.ts), as a prefix read is.
  if (req.lock != null && req.lock.rangeEnd.length === 0) return [keyReadBytes(authz, req.lock.key)];
  return [];
}
import { deadlineIn, remainingMs, type Deadline } from '../../time/deadline.js';

export interface RegistryWatchOptions {
  readonly backend: Leadership & Reads & ApiSettings;
  readonly hub: WatchHub;
  readonly maxPendingBytes: number;
  /** Watches one stream may hold; a create beyond is canceled at once with the reason. */
  readonly maxWatches: number;
  /** Told of each refusal by a configured limit (its flag name), for the metric. */
  readonly onLimit: (limit: string) => void;
  /** Default idle time before a progress message. */
  readonly progressEveryMs: number;
  /** A server that has not heard from a leader for longer than this says it is stale. */
  readonly staleAfterMs: number;
  readonly logger: Logger;
}

/**
 * Roster's registry watch streams: many watches per stream, each a snapshot (or a resume after
 * a revision) followed by changes as they commit, with progress messages when idle and a stale
 * flag whenever the serving server cannot vouch for being current. Changes are computed and
 * encoded once per watched thing and delivery, whatever the number of watchers.
 */
export class RegistryWatchService {
  private readonly streams = new Set<RegistryWatchStream>();
  private readonly timer: NodeJS.Timeout;
  private wasStale: boolean;
  /** Targets in use, shared by every watcher of the same thing (one object, not one each). */
  private readonly targets = new Map<string, { target: WatchTarget; users: number }>();
  /** Encoded changes of the current delivery round, by (target, from, through). */
  private cache = { through: -1, entries: new Map<string, Uint8Array[]>() };

  constructor(readonly o: RegistryWatchOptions) {
    this.wasStale = this.isStale();
    this.timer = setInterval(() => this.tick(), 250);
    this.timer.unref();
  }

  get openStreams(): number {
    return this.streams.size;
  }

  watch(call: grpc.ServerDuplexStream<WatchRequest__Output, Buffer>, authz: Authorizer = ALLOW_ALL): void {
    const s = new RegistryWatchStream(call, this, authz, () => this.streams.delete(s));
    this.streams.add(s);
  }

  stop(): void {
    clearInterval(this.timer);
    for (const s of [...this.streams]) s.close();
  }

  /** Distinct targets being watched. */
  get sharedTargets(): number {
    return this.targets.size;
  }

  /** The shared target for a request (INVALID_ARGUMENT for a bad one); release() it when done. */
  acquireTarget(req: WatchCreate__Output, authz: Authorizer): WatchTarget {
    const t = visibleTarget(targetOf(req), authz);
    const held = this.targets.get(t.spec);
    if (held !== undefined) {
      held.users++;
      return held.target;
    }
    this.targets.set(t.spec, { target: t, users: 1 });
    return t;
  }

  releaseTarget(t: WatchTarget): void {
    const held = this.targets.get(t.spec);
    if (held !== undefined && --held.users === 0) this.targets.delete(t.spec);
  }

  isStale(): boolean {
    const b = this.o.backend;
    return b.leader() === NO_NODE || b.msSinceLeaderContact() > this.o.staleAfterMs;
  }

  lastContactMs(): number {
    const b = this.o.backend;
    return b.leader() === NO_NODE ? -1 : b.msSinceLeaderContact();
  }

  /** The changes `events` make to `target` for a watcher brought from `from` to `through`: computed once. */
  changes(target: WatchTarget, events: readonly HubEvent[], from: number, through: number): Uint8Array[] {
    if (this.cache.through !== through) this.cache = { through, entries: new Map() };
    const key = `${target.spec}|${from}`;
    let out = this.cache.entries.get(key);
    if (out === undefined) {
      out = [];
      for (const e of events) {
        const item = e.event.type === 'put' ? target.item(e.event.kv) : undefined;
        const previous = e.prevValue === undefined ? undefined : target.item(e.prevValue);
        if (item === undefined && previous === undefined) continue;
        const type = previous === undefined ? 'ADDED' : item === undefined ? 'REMOVED' : 'CHANGED';
        if (type === 'CHANGED' && !target.significant(previous!, item!)) continue;
        out.push(encodeChangeField({ type, revision: e.revision, item, previous }));
      }
      this.cache.entries.set(key, out);
    }
    return out;
  }

  private tick(): void {
    const stale = this.isStale();
    const flipped = stale !== this.wasStale;
    this.wasStale = stale;
    for (const s of this.streams) s.tick(flipped);
  }
}

/**
 * A read barrier that first waits for a leader (a server that just restarted knows none for an
 * election or so): a watch is long-lived, so a short wait beats sending the client elsewhere.
 */
async function barrierWhenLeader(b: Reads, deadline: Deadline): Promise<void> {
  for (;;) {
    try {
      await b.readBarrier(deadline);
      return;
    } catch (err) {
      // No leader yet, or one not confirming reads yet (the barrier refuses within an election).
      if (!(isRosterError(err, 'NO_LEADER') || isRosterError(err, 'UNAVAILABLE')) || remainingMs(deadline) < 100) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

class RegistryWatchStream {
  private readonly watchers = new Map<bigint, RegistryWatcher>();
  private readonly budget: StreamBudget;
  private closed = false;

  constructor(
    private readonly call: grpc.ServerDuplexStream<WatchRequest__Output, Buffer>,
    readonly svc: RegistryWatchService,
    private readonly authz: Authorizer,
    private readonly onClose: () => void,
  ) {
    this.budget = new StreamBudget(svc.o.maxPendingBytes);
    call.on('data', (req: WatchRequest__Output) => this.onRequest(req));
    call.on('end', () => this.close(true));
    call.on('error', () => this.close());
    call.on('cancelled', () => this.close());
  }

  send(r: Omit<RegistryWatchResponse, 'stale' | 'lastContactMs'> & { stale?: boolean }): void {
    if (this.closed) return;
    const bytes = encodeRegistryWatchResponse({ ...r, stale: r.stale ?? this.svc.isStale(), lastContactMs: this.svc.lastContactMs() });
    if (!this.budget.admit(bytes.length)) {
      this.cutOff();
      return;
    }
    this.call.write(bytes, () => this.budget.release(bytes.length));
  }

  private onRequest(req: WatchRequest__Output): void {
    if (this.closed) return;
    if (req.create != null) {
      const id = BigInt(req.create.watchId);
      this.create(req.create).catch((err: unknown) => noteDropped(this.svc.o.logger, 'registry-watch', 'create-failed', err, { watchId: id.toString() }));
    } else if (req.cancel != null) {
      const id = BigInt(req.cancel.watchId);
      const w = this.watchers.get(id);
      if (w === undefined) return;
      w.end();
      this.send({ watchId: id, kind: KIND.CANCELED, revision: this.svc.o.hub.revision, cancelReason: 'canceled by the client' });
    }
  }

  private async create(req: WatchCreate__Output): Promise<void> {
    const id = BigInt(req.watchId);
    const refuse = (reason: string): void => this.cancelWith(id, reason);
    if (id === 0n || this.watchers.has(id)) return refuse('INVALID_ARGUMENT: watch_id must be non-zero and unique on its stream');
    if (this.watchers.size >= this.svc.o.maxWatches) {
      this.svc.o.onLimit('max-watches-per-stream');
      return refuse(`RESOURCE_EXHAUSTED: this stream holds ${this.watchers.size} watches, the most --max-watches-per-stream allows: open another stream`);
    }
    for (const d of watchNeeds(req, this.authz)) if (!d.allowed) return refuse(`PERMISSION_DENIED: ${d.message}`);
    let target: WatchTarget;
    try {
      target = this.svc.acquireTarget(req, this.authz);
    } catch (err) {
      return refuse(`INVALID_ARGUMENT: ${err instanceof Error ? err.message : String(err)}`);
    }
    const w = new RegistryWatcher(this, id, target, Number(req.progressIntervalMs) > 0 ? Number(req.progressIntervalMs) : this.svc.o.progressEveryMs);
    this.watchers.set(id, w);
    await this.start(req, w).catch((err: unknown) => this.createFailed(w, err));
  }

  private cancelWith(id: bigint, reason: string): void {
    this.send({ watchId: id, kind: KIND.CANCELED, revision: this.svc.o.hub.revision, cancelReason: reason });
  }

  /** Confirms the state is current (unless stale is allowed), then resumes or sends the snapshot. */
  private async start(req: WatchCreate__Output, w: RegistryWatcher): Promise<void> {
    const id = w.id;
    const target = w.target;
    const refuse = (reason: string): void => this.cancelWith(id, reason);
    const b = this.svc.o.backend;
    try {
      // Unless the client accepts a stale start, the server first confirms with the leader
      // that it has applied everything committed: a lagging or restarting server never hands
      // out an outdated (say, empty) list as if it were current.
      if (!req.allowStale) await barrierWhenLeader(b, deadlineIn(b.cfg.defaultRequestTimeoutMs));
    } catch (err) {
      w.end();
      return refuse(`UNAVAILABLE: ${isRosterError(err) ? err.message : String(err)}; retry on another server or with allow_stale`);
    }
    if (this.closed || this.watchers.get(id) !== w) return;
    const after = Number(req.afterRevision);
    if (after > 0) {
      const compacted = b.mvcc.compactRevision();
      if (after + 1 < compacted) {
        w.end();
        this.send({ watchId: id, kind: KIND.CANCELED, revision: this.svc.o.hub.revision, compactRevision: compacted, cancelReason: `history after revision ${after} was compacted (up to ${compacted}): start over with a snapshot` });
        return;
      }
      w.start(after, true);
      return;
    }
    const { items, revision } = await b.mvcc.read(async (v) => ({ items: await target.snapshot(v.kv), revision: v.revision }));
    if (this.closed || this.watchers.get(id) !== w) return;
    const changes = items.map((i) => encodeChangeField({ type: 'ADDED', revision: i.revision, item: i.item, previous: undefined }));
    this.send({ watchId: id, kind: KIND.SNAPSHOT, revision, changes });
    w.start(revision, false);
  }

  /**
   * A create that failed after registering its watcher (reading the snapshot failed): the
   * watcher is ended and the client told, so it neither waits forever nor leaks; logged and
   * counted. It is this create's watcher that ends: by then the client may have canceled it and
   * created another under the same id, which must not be touched.
   */
  private createFailed(w: RegistryWatcher, err: unknown): void {
    const id = w.id;
    noteDropped(this.svc.o.logger, 'registry-watch', 'create-failed', err, { watchId: id.toString() });
    if (this.watchers.get(id) !== w) return;
    w.end();
    this.send({ watchId: id, kind: KIND.CANCELED, revision: this.svc.o.hub.revision, cancelReason: `UNAVAILABLE: the watch could not start (${err instanceof Error ? err.message : String(err)}); retry` });
  }

  watcherEnded(w: RegistryWatcher): void {
    if (this.watchers.get(w.id) === w) this.watchers.delete(w.id);
  }

  tick(staleFlipped: boolean): void {
    for (const w of this.watchers.values()) w.tick(staleFlipped);
  }

  private cutOff(): void {
    if (this.closed) return;
    const pending = this.budget.pending;
    this.svc.o.logger.warn('cutting off a registry watch stream that reads too slowly', { pendingBytes: pending, watchers: this.watchers.size });
    this.close();
    this.call.emit('error', grpcError(grpc.status.RESOURCE_EXHAUSTED, `roster: watch stream cut off: the client reads too slowly (${pending} bytes unsent); reconnect and resume after the last revision received`));
  }

  close(endCall = false): void {
    if (this.closed) return;
    this.closed = true;
    for (const w of this.watchers.values()) w.end();
    this.watchers.clear();
    this.onClose();
    if (endCall) this.call.end();
  }
}

class RegistryWatcher implements WatchSubscriber {
  readonly ranges: readonly KeyRange[];
  readonly wantsPrev = true;
  /** The revision the client has been brought to. */
  private through = 0;
  private lastSent = performance.now();
  /** A resumed watch announces where it stands once caught up, even with nothing to tell. */
  private mustAnnounce = false;
  private ended = false;

  constructor(
    private readonly stream: RegistryWatchStream,
    readonly id: bigint,
    readonly target: WatchTarget,
    private readonly progressEveryMs: number,
  ) {
    this.ranges = target.ranges;
  }

  /** Delivers every change after `revision`. */
  start(revision: number, resumed: boolean): void {
    this.through = revision;
    this.mustAnnounce = resumed;
    const hub = this.stream.svc.o.hub;
    hub.subscribe(this, revision + 1);
    // Resumed at (or past) this server's revision: nothing to replay, so say so now rather than
    // at the next change to this target, which may be a long way off.
    if (resumed && hub.isSynced(this)) {
      this.mustAnnounce = false;
      this.lastSent = performance.now();
      this.stream.send({ watchId: this.id, kind: KIND.CHANGES, revision: Math.max(revision, hub.revision), changes: [] });
    }
  }

  deliver(events: readonly HubEvent[], through: number): void {
    const changes = this.stream.svc.changes(this.target, events, this.through, through);
    this.through = through;
    if (changes.length === 0 && !this.mustAnnounce) return;
    this.mustAnnounce = false;
    this.lastSent = performance.now();
    this.stream.send({ watchId: this.id, kind: KIND.CHANGES, revision: through, changes });
  }

  fail(err: RosterError): void {
    this.end();
    const compactRevision = typeof err.details.compactRevision === 'number' ? err.details.compactRevision : 0;
    this.stream.send({ watchId: this.id, kind: KIND.CANCELED, revision: this.through, compactRevision, cancelReason: err.code === 'COMPACTED' ? 'history compacted: start over with a snapshot' : err.message });
  }

  /** Idle for its interval, or the server's staleness flipped: say how current this watch is. */
  tick(staleFlipped: boolean): void {
    if (this.ended || this.through === 0) return;
    const hub = this.stream.svc.o.hub;
    if (!hub.isSynced(this)) return;
    if (!staleFlipped && performance.now() - this.lastSent < this.progressEveryMs) return;
    this.lastSent = performance.now();
    // Synced: current to the hub's revision (the hub only calls deliver when this target changes).
    this.stream.send({ watchId: this.id, kind: KIND.PROGRESS, revision: Math.max(this.through, hub.revision) });
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.stream.svc.o.hub.unsubscribe(this);
    this.stream.watcherEnded(this);
    this.stream.svc.releaseTarget(this.target);
  }
}
