import * as grpc from '@grpc/grpc-js';
import type { WatchCreateRequest__Output } from '../../gen/etcd/etcdserverpb/WatchCreateRequest.js';
import type { WatchRequest__Output } from '../../gen/etcd/etcdserverpb/WatchRequest.js';
import type { Authorizer } from '../../store/acl/authorizer.js';
import { keyRangeRead } from '../../store/acl/key-ranges.js';
import { eventOut, kvOut } from '../../store/kv/etcd-keys.js';
import { NAMESPACE, nsKey, nsRangeEnd } from '../../store/kv/namespace.js';
import type { RosterError } from '../../util/errors.js';
import type { Logger } from '../../util/logger.js';
import type { KeyRange } from '../watch/key-range.js';
import { StreamBudget } from '../watch/stream-budget.js';
import type { HubEvent, WatchHub, WatchSubscriber } from '../watch/watch-hub.js';
import { grpcError } from '../grpc-errors.js';
import { encodeEventField, encodeHeaderField, encodeWatchResponse, type HeaderFields } from './watch-encoding.js';

export interface WatchServiceOptions {
  readonly hub: WatchHub;
  readonly header: (revision: number) => HeaderFields;
  /** Responses above this many bytes are split for watchers that asked for fragments (etcd's rule). */
  readonly maxResponseBytes: number;
  /** Unsent bytes a stream may hold before its reader counts as too slow and is cut off. */
  readonly maxPendingBytes: number;
  /** Watches one stream may hold; a create beyond is canceled at once with the reason. */
  readonly maxWatches: number;
  /** Told of each refusal by a configured limit (its flag name), for the metric. */
  readonly onLimit: (limit: string) => void;
  /** How often watchers that asked for progress notifications get one when idle. */
  readonly progressEveryMs: number;
  readonly logger: Logger;
}

/** etcd's "no watch" id, used by progress responses meant for every watcher of a stream. */
const ALL_WATCHERS = -1n;
const COMPACTED_REASON = 'etcdserver: mvcc: required revision has been compacted';

/** etcd's key range of a watch, moved into the KV namespace: an empty key means "\x00". */
function watchRange(req: WatchCreateRequest__Output): KeyRange {
  const key = nsKey(NAMESPACE.kv, req.key.length === 0 ? Uint8Array.of(0) : req.key);
  return { start: key, end: req.rangeEnd.length === 0 ? undefined : nsRangeEnd(NAMESPACE.kv, req.rangeEnd) };
}

/**
 * etcd's Watch service: many watches on one bidirectional stream, each fed by the server's watch
 * hub. Each change is encoded once per form (with or without its previous value) and the same
 * bytes go into every response that carries it; a response is assembled by concatenation.
 */
export class WatchService {
  private readonly streams = new Set<EtcdWatchStream>();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly o: WatchServiceOptions) {
    this.timer = setInterval(() => {
      for (const s of this.streams) s.progressTick();
    }, o.progressEveryMs);
    this.timer.unref();
  }

  get openStreams(): number {
    return this.streams.size;
  }

  watch(call: grpc.ServerDuplexStream<WatchRequest__Output, Buffer>, authz: Authorizer): void {
    const stream = new EtcdWatchStream(call, this.o, authz, () => this.streams.delete(stream));
    this.streams.add(stream);
  }

  stop(): void {
    clearInterval(this.timer);
    for (const s of [...this.streams]) s.close();
  }
}

class EtcdWatchStream {
  private readonly watchers = new Map<bigint, EtcdWatcher>();
  private nextId = 0n;
  private readonly budget: StreamBudget;
  private closed = false;
  /** A progress request arrived while some watcher was still replaying history. */
  private progressOwed = false;
  /** Header encodings by revision: one per delivery, shared by its responses. */
  private headerCache: { revision: number; bytes: Uint8Array } | undefined;

  constructor(
    private readonly call: grpc.ServerDuplexStream<WatchRequest__Output, Buffer>,
    readonly o: WatchServiceOptions,
    private readonly authz: Authorizer,
    private readonly onClose: () => void,
  ) {
    this.budget = new StreamBudget(o.maxPendingBytes);
    call.on('data', (req: WatchRequest__Output) => this.onRequest(req));
    call.on('end', () => this.close(true));
    call.on('error', () => this.close());
    call.on('cancelled', () => this.close());
  }

  header(revision: number): Uint8Array {
    if (this.headerCache?.revision !== revision) this.headerCache = { revision, bytes: encodeHeaderField(this.o.header(revision)) };
    return this.headerCache.bytes;
  }

  send(bytes: Buffer): void {
    if (this.closed) return;
    if (!this.budget.admit(bytes.length)) {
      this.cutOff();
      return;
    }
    this.call.write(bytes, () => this.budget.release(bytes.length));
  }

  private onRequest(req: WatchRequest__Output): void {
    if (this.closed) return;
    if (req.createRequest != null) this.create(req.createRequest);
    else if (req.cancelRequest != null) this.cancel(BigInt(req.cancelRequest.watchId));
    else if (req.progressRequest != null) this.progressRequested();
    // Anything else is ignored, as etcd does, rather than ending the stream.
  }

  private create(req: WatchCreateRequest__Output): void {
    const hub = this.o.hub;
    const start = Number(req.startRevision);
    const asked = BigInt(req.watchId);
    if (start < 0) {
      this.send(encodeWatchResponse({ header: this.header(hub.revision), watchId: ALL_WATCHERS, created: true, canceled: true, cancelReason: COMPACTED_REASON }));
      return;
    }
    if (asked !== 0n && this.watchers.has(asked)) {
      this.send(encodeWatchResponse({ header: this.header(hub.revision), watchId: ALL_WATCHERS, created: true, canceled: true, cancelReason: 'mvcc: duplicate watch ID provided on the WatchStream' }));
      return;
    }
    // etcd's rule: a watch needs read on every key of its range (the stream's token, checked once here).
    const denied = keyRangeRead(this.authz, req.key.length === 0 ? Uint8Array.of(0) : req.key, req.rangeEnd);
    if (!denied.allowed) {
      this.send(encodeWatchResponse({ header: this.header(hub.revision), watchId: ALL_WATCHERS, created: true, canceled: true, cancelReason: `etcdserver: ${denied.message}` }));
      return;
    }
    if (this.watchers.size >= this.o.maxWatches) {
      this.o.onLimit('max-watches-per-stream');
      const reason = `etcdserver: too many watches on this stream (${this.watchers.size}, the most --max-watches-per-stream allows): open another stream`;
      this.send(encodeWatchResponse({ header: this.header(hub.revision), watchId: ALL_WATCHERS, created: true, canceled: true, cancelReason: reason }));
      return;
    }
    let id = asked;
    if (id === 0n) {
      while (this.watchers.has(this.nextId)) this.nextId++;
      id = this.nextId++;
    }
    const filters = new Set(req.filters.map(String));
    const w = new EtcdWatcher(this, id, watchRange(req), {
      prevKv: req.prevKv,
      noPut: filters.has('NOPUT'),
      noDelete: filters.has('NODELETE'),
      progressNotify: req.progressNotify,
      fragment: req.fragment,
    });
    this.watchers.set(id, w);
    // The created response comes first; the hub then replays from start_revision (or from the
    // revision this header names, when none was given), so nothing falls between the two.
    const now = hub.revision;
    this.send(encodeWatchResponse({ header: this.header(now), watchId: id, created: true }));
    hub.subscribe(w, start === 0 ? now + 1 : start);
  }

  private cancel(id: bigint): void {
    const w = this.watchers.get(id);
    if (w === undefined) return; // etcd answers nothing for an unknown id
    this.watchers.delete(id);
    this.o.hub.unsubscribe(w);
    this.send(encodeWatchResponse({ header: this.header(this.o.hub.revision), watchId: id, canceled: true }));
  }

  /** etcd answers a progress request once every watcher of the stream is current. */
  private progressRequested(): void {
    if ([...this.watchers.values()].every((w) => this.o.hub.isSynced(w))) {
      this.send(encodeWatchResponse({ header: this.header(this.o.hub.revision), watchId: ALL_WATCHERS }));
    } else {
      this.progressOwed = true;
    }
  }

  /** After any delivery: a progress answer owed since a watcher was replaying may be due now. */
  delivered(): void {
    if (this.progressOwed) {
      this.progressOwed = false;
      this.progressRequested();
    }
  }

  watcherEnded(w: EtcdWatcher): void {
    this.watchers.delete(w.id);
  }

  progressTick(): void {
    for (const w of this.watchers.values()) w.progressTick();
  }

  private cutOff(): void {
    if (this.closed) return;
    const pending = this.budget.pending;
    this.o.logger.warn('cutting off a watch stream that reads too slowly', { pendingBytes: pending, watchers: this.watchers.size });
    this.close();
    this.call.emit('error', grpcError(grpc.status.RESOURCE_EXHAUSTED, `roster: watch stream cut off: the client reads too slowly (${pending} bytes unsent); reconnect and resume from the last revision received`));
  }

  close(endCall = false): void {
    if (this.closed) return;
    this.closed = true;
    for (const w of this.watchers.values()) this.o.hub.unsubscribe(w);
    this.watchers.clear();
    this.onClose();
    if (endCall) this.call.end();
  }
}

interface WatcherOptions {
  readonly prevKv: boolean;
  readonly noPut: boolean;
  readonly noDelete: boolean;
  readonly progressNotify: boolean;
  readonly fragment: boolean;
}

class EtcdWatcher implements WatchSubscriber {
  readonly ranges: readonly KeyRange[];
  readonly wantsPrev: boolean;
  /** Events were sent since the last progress tick: no progress notification is needed. */
  private busy = false;

  constructor(
    private readonly stream: EtcdWatchStream,
    readonly id: bigint,
    range: KeyRange,
    private readonly opts: WatcherOptions,
  ) {
    this.ranges = [range];
    this.wantsPrev = opts.prevKv;
  }

  deliver(events: readonly HubEvent[], through: number): void {
    const form = this.opts.prevKv ? 'etcd+prev' : 'etcd';
    const fields: Uint8Array[] = [];
    for (const e of events) {
      if (e.event.type === 'put' ? this.opts.noPut : this.opts.noDelete) continue;
      let bytes = e.encoded.get(form);
      if (bytes === undefined) {
        const prev = this.opts.prevKv ? e.prevValue : undefined;
        bytes = encodeEventField(eventOut(e.event), prev === undefined ? undefined : kvOut(prev));
        e.encoded.set(form, bytes);
      }
      fields.push(bytes);
    }
    if (fields.length > 0) {
      this.busy = true;
      this.sendEvents(fields, through);
    }
    this.stream.delivered();
  }

  private sendEvents(fields: readonly Uint8Array[], revision: number): void {
    const header = this.stream.header(revision);
    let size = header.length;
    for (const f of fields) size += f.length;
    if (!this.opts.fragment || size <= this.stream.o.maxResponseBytes || fields.length === 1) {
      this.stream.send(encodeWatchResponse({ header, watchId: this.id, events: fields }));
      return;
    }
    // etcd's sendFragments: split at event boundaries, every part but the last marked.
    let part: Uint8Array[] = [];
    let partSize = header.length;
    for (const f of fields) {
      if (part.length > 0 && partSize + f.length > this.stream.o.maxResponseBytes) {
        this.stream.send(encodeWatchResponse({ header, watchId: this.id, events: part, fragment: true }));
        part = [];
        partSize = header.length;
      }
      part.push(f);
      partSize += f.length;
    }
    this.stream.send(encodeWatchResponse({ header, watchId: this.id, events: part }));
  }

  fail(err: RosterError): void {
    this.stream.watcherEnded(this);
    const compactRevision = typeof err.details.compactRevision === 'number' ? err.details.compactRevision : 0;
    if (err.code === 'COMPACTED') {
      // etcd: a watch whose start was compacted is canceled with the compact revision.
      this.stream.send(encodeWatchResponse({ header: this.stream.header(this.stream.o.hub.revision), watchId: this.id, canceled: true, compactRevision }));
    } else {
      this.stream.send(encodeWatchResponse({ header: this.stream.header(this.stream.o.hub.revision), watchId: this.id, canceled: true, cancelReason: err.message }));
    }
  }

  progressTick(): void {
    if (!this.opts.progressNotify) return;
    if (!this.busy && this.stream.o.hub.isSynced(this)) {
      this.stream.send(encodeWatchResponse({ header: this.stream.header(this.stream.o.hub.revision), watchId: this.id }));
    }
    this.busy = false;
  }
}
