import { instanceOf } from '../client/convert.js';
import type { Instance } from '../client/types.js';
import type { WatchMux, WatchTarget } from '../client/watch-mux.js';
import type { Change__Output } from '../gen/registry/roster/registry/v1/Change.js';
import type { Item__Output } from '../gen/registry/roster/registry/v1/Item.js';
import type { Source, SourceChanged } from './source.js';

/** A service of the service list, as a template sees it. */
export interface ServiceEntry {
  readonly name: string;
  readonly tags: readonly string[];
  readonly instances: number;
  readonly passing: number;
}

/** A node, as a template sees it. */
export interface NodeEntry {
  readonly name: string;
  readonly address: string;
  readonly datacenter: string;
  readonly meta: Readonly<Record<string, string>>;
}

/** How the items of one watch target become a template's values. */
interface ItemKind<T> {
  key(item: Item__Output): string | undefined;
  value(item: Item__Output): T;
  order(a: T, b: T): number;
}

/**
 * How often an idle watch hears from its server: a stream resumed after a failure with nothing
 * new to send is known fresh again by its next progress message, so a template held for it
 * writes again within this long.
 */
const PROGRESS_EVERY_MS = 2000;

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const INSTANCES: ItemKind<Instance> = {
  key: (i) => (i.instance?.service && i.instance.node ? `${i.instance.node.name}/${i.instance.service.id}` : undefined),
  value: (i) => instanceOf(i.instance!),
  order: (a, b) => byText(a.node, b.node) || byText(a.id, b.id),
};

const SERVICES: ItemKind<ServiceEntry> = {
  key: (i) => i.service?.name,
  value: (i) => ({ name: i.service!.name, tags: [...i.service!.tags].sort(), instances: i.service!.instances, passing: i.service!.passing }),
  order: (a, b) => byText(a.name, b.name),
};

const NODES: ItemKind<NodeEntry> = {
  key: (i) => i.node?.name,
  value: (i) => ({ name: i.node!.name, address: i.node!.address, datacenter: i.node!.datacenter, meta: i.node!.meta }),
  order: (a, b) => byText(a.name, b.name),
};

/**
 * A registry watch kept as the list it describes: the snapshot, then each change applied. The
 * watch multiplexer resumes after the last revision on another server when a stream breaks, so
 * no change is missed; meanwhile the list is kept and marked not fresh.
 */
class RegistrySource<T> implements Source<readonly T[]> {
  private readonly items = new Map<string, T>();
  private received = false;
  private stale = false;
  private broken = '';
  private readonly handle: { cancel(): void };

  constructor(mux: WatchMux, target: WatchTarget, private readonly kind: ItemKind<T>, private readonly changed: SourceChanged, private readonly refused: (why: string) => void) {
    this.handle = mux.watch(target, {
      snapshot: (_rev, changes, stale) => {
        this.items.clear();
        this.apply(changes);
        this.settle(stale, true);
      },
      changes: (_rev, changes, stale) => {
        this.apply(changes);
        this.settle(stale, changes.length > 0);
      },
      progress: (_rev, stale) => this.settle(stale, false),
      disconnected: (reason) => {
        const was = this.broken;
        this.broken = reason;
        if (was === '') this.changed();
      },
      // The mux gives up on a refused watch: the source is dropped, and the next render opens it again.
      failed: (reason) => {
        this.broken = `refused: ${reason}`;
        this.refused(this.broken);
      },
    }, { progressIntervalMs: PROGRESS_EVERY_MS });
  }

  value(): readonly T[] | undefined {
    return this.received ? [...this.items.values()].sort((a, b) => this.kind.order(a, b)) : undefined;
  }

  fresh(): boolean {
    return this.received && !this.stale && this.broken === '';
  }

  why(): string {
    if (!this.received) return this.broken === '' ? 'waiting for the first answer' : this.broken;
    if (this.broken !== '') return this.broken;
    return this.stale ? 'the server could not confirm it with the leader (stale)' : '';
  }

  close(): void {
    this.handle.cancel();
  }

  private apply(changes: readonly Change__Output[]): void {
    for (const c of changes) {
      const key = this.kind.key((c.type === 'REMOVED' ? c.previous : c.item) ?? {});
      if (key === undefined) continue;
      if (c.type === 'REMOVED') this.items.delete(key);
      else this.items.set(key, this.kind.value(c.item!));
    }
  }

  /** An answer: tells the runner only when the items or the freshness changed (not on every progress message). */
  private settle(stale: boolean, itemsChanged: boolean): void {
    const freshBefore = this.fresh();
    this.received = true;
    this.stale = stale;
    this.broken = '';
    if (itemsChanged || this.fresh() !== freshBefore) this.changed();
  }
}

/** A service's instances: the passing ones, or all; with a tag and node meta to match. */
export function instancesSource(mux: WatchMux, q: { service: string; passingOnly: boolean; tag: string; nodeMeta: Readonly<Record<string, string>> }, changed: SourceChanged, refused: (why: string) => void): Source<readonly Instance[]> {
  return new RegistrySource(mux, { service: { service: q.service, passingOnly: q.passingOnly, ...(q.tag === '' ? {} : { tag: q.tag }), nodeMeta: q.nodeMeta } }, INSTANCES, changed, refused);
}

export function servicesSource(mux: WatchMux, changed: SourceChanged, refused: (why: string) => void): Source<readonly ServiceEntry[]> {
  return new RegistrySource(mux, { services: {} }, SERVICES, changed, refused);
}

export function nodesSource(mux: WatchMux, changed: SourceChanged, refused: (why: string) => void): Source<readonly NodeEntry[]> {
  return new RegistrySource(mux, { nodes: {} }, NODES, changed, refused);
}
