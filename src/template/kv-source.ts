import type * as grpc from '@grpc/grpc-js';
import type { Endpoints } from '../client/endpoints.js';
import type { WatchRequest } from '../gen/etcd/etcdserverpb/WatchRequest.js';
import type { WatchResponse__Output } from '../gen/etcd/etcdserverpb/WatchResponse.js';
import { etcdProto } from '../proto/etcd-proto.js';
import { Backoff } from '../util/backoff.js';
import { prefixRangeEnd } from '../util/prefix-end.js';
import type { Source, SourceChanged } from './source.js';

/** A key and its value, as a template sees it (`key` relative to the prefix read, `path` whole). */
export interface KvEntry {
  readonly key: string;
  readonly path: string;
  readonly value: string;
}

/** Deadline of the Range that (re)starts a follow. */
const RANGE_TIMEOUT_MS = 5000;

/**
 * A key, or every key under a prefix, followed with etcd's Range then Watch from the next
 * revision: every change after the read arrives, in order. A broken stream starts over on the
 * next server with a Range; meanwhile the values are kept and marked not fresh. A Range is
 * linearizable, so what it reads is confirmed by the leader.
 */
export class KvSource implements Source<readonly KvEntry[]> {
  private readonly entries = new Map<string, KvEntry>();
  private received = false;
  private broken = '';
  private revision = 0;
  private call: grpc.ClientDuplexStream<WatchRequest, WatchResponse__Output> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly backoff = new Backoff({ initialMs: 100, maxMs: 2000, jitter: Math.random });
  private readonly key: Buffer;
  private readonly rangeEnd: Buffer;

  constructor(private readonly endpoints: Endpoints, private readonly path: string, private readonly prefix: boolean, private readonly changed: SourceChanged) {
    this.key = Buffer.from(path);
    this.rangeEnd = prefix ? Buffer.from(prefixRangeEnd(this.key)) : Buffer.alloc(0);
    void this.start();
  }

  value(): readonly KvEntry[] | undefined {
    return this.received ? [...this.entries.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)) : undefined;
  }

  fresh(): boolean {
    return this.received && this.broken === '';
  }

  why(): string {
    if (!this.received) return this.broken === '' ? 'waiting for the first answer' : this.broken;
    return this.broken;
  }

  close(): void {
    this.closed = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.call?.cancel();
  }

  /** Reads the range, then watches after it. */
  private async start(): Promise<void> {
    if (this.closed) return;
    try {
      const r = await this.endpoints.unary(etcdProto().etcdserverpb.KV, 'Range', { key: this.key, rangeEnd: this.rangeEnd }, RANGE_TIMEOUT_MS);
      if (this.closed) return;
      this.entries.clear();
      for (const kv of r.kvs) this.put(Buffer.from(kv.key).toString(), Buffer.from(kv.value).toString());
      this.revision = Number(r.header?.revision ?? 0);
      this.received = true;
      this.changed();
      this.watch();
    } catch (err) {
      this.fail(err instanceof Error ? err.message : String(err));
    }
  }

  private watch(): void {
    if (this.closed) return;
    const call = this.endpoints.client(etcdProto().etcdserverpb.Watch).Watch();
    this.call = call;
    call.on('data', (r: WatchResponse__Output) => {
      if (this.call !== call) return;
      // A refused watch comes created and canceled at once: canceled first.
      if (r.canceled) {
        this.drop(call, `watch canceled: ${r.cancelReason || 'compacted'}`);
        return;
      }
      if (r.created) {
        this.backoff.reset();
        if (this.broken !== '') {
          this.broken = '';
          this.changed();
        }
        return;
      }
      for (const e of r.events) {
        const kv = e.kv!;
        const path = Buffer.from(kv.key).toString();
        if (e.type === 'DELETE') this.entries.delete(path);
        else this.put(path, Buffer.from(kv.value).toString());
      }
      this.revision = Math.max(this.revision, Number(r.header?.revision ?? 0));
      if (r.events.length > 0) this.changed();
    });
    call.on('error', (err: grpc.ServiceError) => this.drop(call, err.details || err.message));
    call.on('end', () => this.drop(call, 'the server ended the stream'));
    call.write({ createRequest: { key: this.key, rangeEnd: this.rangeEnd, startRevision: this.revision + 1 } });
  }

  private drop(call: grpc.ClientDuplexStream<WatchRequest, WatchResponse__Output>, why: string): void {
    if (this.call !== call) return;
    this.call = undefined;
    call.cancel();
    this.fail(why);
  }

  /**
   * Not fresh until the follow is back, on the next server, after a backoff. It starts again with
   * a Range (linearizable, so confirmed by the leader), never by resuming a watch on a server that
   * may be cut off and behind.
   */
  private fail(why: string): void {
    if (this.closed) return;
    this.revision = 0;
    const was = this.broken;
    this.broken = why;
    if (was === '') this.changed();
    this.endpoints.rotate();
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.start();
    }, this.backoff.next());
  }

  private put(path: string, value: string): void {
    const key = this.prefix ? path.slice(this.path.length) : path;
    this.entries.set(path, { key, path, value });
  }
}
