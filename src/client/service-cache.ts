import { EventEmitter } from 'node:events';
import type { Change__Output } from '../gen/registry/roster/registry/v1/Change.js';
import type { Instance__Output } from '../gen/registry/roster/registry/v1/Instance.js';
import { instanceOf } from './convert.js';
import type { Instance } from './types.js';
import type { WatchMux } from './watch-mux.js';

export interface DiscoverOptions {
  /** Only instances whose every check passes (default true). */
  readonly passingOnly?: boolean;
  readonly tag?: string;
  readonly nodeMeta?: Readonly<Record<string, string>>;
  /** Accept a first answer from a server that cannot confirm it is current (it is marked stale). */
  readonly allowStale?: boolean;
}

/**
 * The instances of one service, kept by a watch stream: a snapshot, then every change. When no
 * server answers it keeps serving the last instances it knew, marked stale, and never replaces
 * them with an empty list it has not been told about (Captain's promise, the Nacos lesson).
 * Emits 'change' (instances) and 'stale' (boolean).
 */
export class ServiceCache extends EventEmitter {
  private readonly byKey = new Map<string, Instance>();
  private sorted: Instance[] = [];
  /** The instances as the server sent them, by the same keys (what an agent's ?cached HTTP reads answer with). */
  private readonly wireByKey = new Map<string, Instance__Output>();
  private wireSorted: Instance__Output[] | undefined;
  /** performance.now() of the last word from the server (a snapshot, changes or progress): Consul's Age. */
  heardAt = 0;
  private readyPromise: Promise<void>;
  private markReady!: () => void;
  private markFailed!: (err: Error) => void;
  private handle: { cancel(): void } | undefined;
  /** The store revision these instances reflect. */
  revision = 0;
  /** True until the first snapshot, while disconnected, and while the server says it is cut off. */
  stale = true;
  /** Why the cache is stale, when it is. */
  staleReason = 'starting';

  constructor(
    readonly service: string,
    mux: WatchMux,
    opts: DiscoverOptions = {},
  ) {
    super();
    this.readyPromise = new Promise((resolve, reject) => {
      this.markReady = resolve;
      this.markFailed = reject;
    });
    this.readyPromise.catch(() => undefined);
    this.handle = mux.watch(
      { service: { service, tag: opts.tag ?? '', nodeMeta: opts.nodeMeta ?? {}, passingOnly: opts.passingOnly ?? true } },
      {
        snapshot: (revision, changes, stale) => {
          this.byKey.clear();
          this.wireByKey.clear();
          this.apply(changes);
          this.settle(revision, stale);
          this.markReady();
        },
        changes: (revision, changes, stale) => {
          this.apply(changes);
          this.settle(revision, stale);
        },
        progress: (revision, stale) => {
          this.heardAt = performance.now();
          this.setStale(stale, stale ? 'the server has lost contact with the leader' : '', revision);
        },
        disconnected: (reason) => this.setStale(true, `disconnected: ${reason}`),
        failed: (reason) => {
          this.setStale(true, reason);
          this.markFailed(new Error(`watch of ${service} refused: ${reason}`));
        },
      },
      { allowStale: opts.allowStale ?? false },
    );
  }

  /** Resolves once the first snapshot arrived. */
  ready(): Promise<void> {
    return this.readyPromise;
  }

  /** The instances as last known (ordered by node/id). Never emptied by a disconnection. */
  instances(): readonly Instance[] {
    return this.sorted;
  }

  /** The same, as the server sent them (with the node's own address and meta), in the same order. */
  wireInstances(): readonly Instance__Output[] {
    this.wireSorted ??= this.sorted.map((i) => this.wireByKey.get(i.key)!);
    return this.wireSorted;
  }

  close(): void {
    this.handle?.cancel();
    this.handle = undefined;
    this.removeAllListeners();
  }

  private apply(changes: readonly Change__Output[]): void {
    for (const c of changes) {
      if (c.type === 'REMOVED') {
        const prev = c.previous?.instance;
        if (prev != null) {
          this.byKey.delete(`${prev.node!.name}/${prev.service!.id}`);
          this.wireByKey.delete(`${prev.node!.name}/${prev.service!.id}`);
        }
      } else if (c.item?.instance != null) {
        const inst = instanceOf(c.item.instance);
        this.byKey.set(inst.key, inst);
        this.wireByKey.set(inst.key, c.item.instance);
      }
    }
  }

  private settle(revision: number, stale: boolean): void {
    this.revision = revision;
    this.heardAt = performance.now();
    this.sorted = [...this.byKey.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    this.wireSorted = undefined;
    this.setStale(stale, stale ? 'the server has lost contact with the leader' : '');
    this.emit('change', this.sorted);
  }

  private setStale(stale: boolean, reason: string, revision?: number): void {
    if (revision !== undefined && revision > this.revision) this.revision = revision;
    if (this.stale === stale) {
      if (stale) this.staleReason = reason;
      return;
    }
    this.stale = stale;
    this.staleReason = stale ? reason : '';
    this.emit('stale', stale);
  }
}
