import type * as grpc from '@grpc/grpc-js';
import type { Change__Output } from '../gen/registry/roster/registry/v1/Change.js';
import type { HealthStatus__Output } from '../gen/registry/roster/registry/v1/HealthStatus.js';
import type { WatchRequest } from '../gen/registry/roster/registry/v1/WatchRequest.js';
import type { WatchResponse__Output } from '../gen/registry/roster/registry/v1/WatchResponse.js';
import { registryProto } from '../proto/registry-proto.js';
import type { Endpoints } from './endpoints.js';
import { Backoff } from '../util/backoff.js';

/** What a watch follows, as in WatchCreate (one target). */
export type WatchTarget =
  | { readonly service: { readonly service: string; readonly tag?: string; readonly nodeMeta?: Readonly<Record<string, string>>; readonly passingOnly?: boolean } }
  | { readonly services: Record<string, never> }
  | { readonly node: { readonly node: string } }
  | { readonly checks: { readonly state?: HealthStatus__Output; readonly service?: string } }
  | { readonly lock: { readonly key: Uint8Array } }
  | { readonly nodes: Record<string, never> };

export interface WatchHandlers {
  /** Every item at `revision` (after a start, a compaction, or a reconnect that could not resume). */
  snapshot(revision: number, changes: readonly Change__Output[], stale: boolean): void;
  changes(revision: number, changes: readonly Change__Output[], stale: boolean): void;
  progress(revision: number, stale: boolean): void;
  /** The stream to the current server broke or it cannot serve; the mux is reconnecting. */
  disconnected(reason: string): void;
  /** The server refused the watch itself (a bad target): it will not be retried. */
  failed(reason: string): void;
}

interface Entry {
  readonly id: number;
  readonly target: WatchTarget;
  readonly allowStale: boolean;
  readonly progressIntervalMs: number;
  readonly handlers: WatchHandlers;
  /** The revision this watch has reached: a reconnect resumes after it (0: needs a snapshot). */
  revision: number;
}

export interface WatchMuxOptions {
  /** First delay before reconnecting; doubles up to maxBackoffMs, with jitter. */
  readonly minBackoffMs?: number;
  readonly maxBackoffMs?: number;
}

/**
 * Every registry watch of one client on one stream to one server. When the stream breaks, or
 * the server says it cannot serve a watch, the mux moves to the next server and re-creates each
 * watch to resume after the revision it had reached, so an application sees every change once,
 * across server failures, and is told (disconnected, stale) whenever it may be behind.
 */
export class WatchMux {
  private readonly entries = new Map<number, Entry>();
  private nextId = 1;
  private call: grpc.ClientDuplexStream<WatchRequest, WatchResponse__Output> | undefined;
  private readonly backoff: Backoff;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly endpoints: Endpoints,
    opts: WatchMuxOptions = {},
  ) {
    this.backoff = new Backoff({ initialMs: opts.minBackoffMs ?? 100, maxMs: opts.maxBackoffMs ?? 2000, jitter: Math.random });
  }

  watch(target: WatchTarget, handlers: WatchHandlers, opts: { allowStale?: boolean; progressIntervalMs?: number } = {}): { cancel(): void } {
    const e: Entry = { id: this.nextId++, target, allowStale: opts.allowStale ?? false, progressIntervalMs: opts.progressIntervalMs ?? 0, handlers, revision: 0 };
    this.entries.set(e.id, e);
    if (this.call === undefined) this.connect();
    else this.create(e);
    return {
      cancel: () => {
        if (!this.entries.delete(e.id)) return;
        this.call?.write({ cancel: { watchId: e.id } });
        if (this.entries.size === 0) this.disconnect();
      },
    };
  }

  close(): void {
    this.closed = true;
    if (this.reconnectTimer !== undefined) clearTimeout(this.reconnectTimer);
    this.entries.clear();
    this.disconnect();
  }

  private connect(): void {
    if (this.closed || this.entries.size === 0) return;
    const call = this.endpoints.client(registryProto().roster.registry.v1.Watch).Watch();
    this.call = call;
    call.on('data', (r: WatchResponse__Output) => this.onResponse(call, r));
    const broken = (why: string): void => {
      if (this.call !== call) return;
      this.call = undefined;
      this.failover(why);
    };
    call.on('error', (err: Error) => broken(err.message));
    call.on('end', () => broken('the server ended the stream'));
    for (const e of this.entries.values()) this.create(e);
  }

  private create(e: Entry): void {
    this.call?.write({
      create: {
        watchId: e.id,
        ...e.target,
        afterRevision: e.revision,
        allowStale: e.allowStale,
        progressIntervalMs: e.progressIntervalMs,
      },
    });
  }

  private disconnect(): void {
    const call = this.call;
    this.call = undefined;
    call?.cancel();
  }

  /** This server cannot serve us now: tell every watch, move to the next server, come back with backoff. */
  private failover(why: string): void {
    this.disconnect();
    for (const e of this.entries.values()) e.handlers.disconnected(why);
    if (this.closed || this.entries.size === 0) return;
    this.endpoints.rotate();
    const delay = this.backoff.next();
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      if (this.call === undefined) this.connect();
    }, delay);
  }

  private onResponse(call: grpc.ClientDuplexStream<WatchRequest, WatchResponse__Output>, r: WatchResponse__Output): void {
    if (this.call !== call) return;
    const e = this.entries.get(Number(r.watchId));
    if (e === undefined) return;
    const revision = Number(r.revision);
    switch (r.kind) {
      case 'SNAPSHOT':
        this.backoff.reset();
        e.revision = revision;
        e.handlers.snapshot(revision, r.changes, r.stale);
        return;
      case 'CHANGES':
        this.backoff.reset();
        e.revision = revision;
        e.handlers.changes(revision, r.changes, r.stale);
        return;
      case 'PROGRESS':
        e.revision = Math.max(e.revision, revision);
        e.handlers.progress(revision, r.stale);
        return;
      case 'CANCELED':
        if (Number(r.compactRevision) > 0) {
          // The history after our revision is gone: start over from a snapshot.
          e.revision = 0;
          this.create(e);
        } else if (r.cancelReason.startsWith('UNAVAILABLE')) {
          this.failover(r.cancelReason);
        } else {
          this.entries.delete(e.id);
          e.handlers.failed(r.cancelReason);
        }
        return;
    }
  }
}
