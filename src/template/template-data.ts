import type { Endpoints } from '../client/endpoints.js';
import type { Instance } from '../client/types.js';
import { WatchMux } from '../client/watch-mux.js';
import { KvSource, type KvEntry } from './kv-source.js';
import { instancesSource, nodesSource, servicesSource, type NodeEntry, type ServiceEntry } from './registry-source.js';
import type { Source } from './source.js';

/** What `service` asks for: consul-template's "tag.name", passing or any, node meta. */
export interface InstanceQuery {
  readonly service: string;
  readonly tag: string;
  readonly passingOnly: boolean;
  readonly nodeMeta: Readonly<Record<string, string>>;
}

/** How long a render waits for the first answer of a source it has just asked for. */
const FIRST_ANSWER_MS = 10_000;

/** How long a watch the server refused is not asked for again. */
const REFUSED_RETRY_MS = 5000;

/** A source a render read, and what it read (for the rule on emptied service lists). */
export interface UsedSource {
  readonly what: string;
  readonly source: Source<readonly unknown[]>;
  /** For a service's instances: how many the render had. */
  readonly instances?: number;
}

/** What a template's filters read, and what its runner asks of the reads (TemplateData; a fake in tests). */
export interface TemplateReads {
  beginRender(): void;
  usedSources(): readonly UsedSource[];
  closeUnused(): void;
  close(): void;
  instances(q: InstanceQuery): Promise<readonly Instance[]>;
  services(): Promise<readonly ServiceEntry[]>;
  nodes(): Promise<readonly NodeEntry[]>;
  key(path: string): Promise<string | undefined>;
  tree(prefix: string): Promise<readonly KvEntry[]>;
}

/**
 * The data of one template's renders: each source is opened by the first render that reads it
 * and followed from then on; a change to any of them calls `changed` (the runner renders again).
 * A render records the sources it read, so the runner can check they are all fresh before it
 * writes, and sources no render reads any more are closed.
 */
export class TemplateData implements TemplateReads {
  private readonly mux: WatchMux;
  private readonly sources = new Map<string, Source<readonly unknown[]>>();
  private used = new Map<string, UsedSource>();
  private waiters: (() => void)[] = [];
  private closed = false;
  /** Watches the server refused lately: a render reading one fails (and is retried with backoff) until it is tried again. */
  private readonly refusals = new Map<string, { why: string; at: number }>();

  constructor(private readonly endpoints: Endpoints, private readonly changed: () => void) {
    this.mux = new WatchMux(endpoints);
  }

  /** Starts recording what a render reads. */
  beginRender(): void {
    this.used = new Map();
  }

  /** What the render since beginRender read. */
  usedSources(): readonly UsedSource[] {
    return [...this.used.values()];
  }

  /** Closes the sources the last render did not read. */
  closeUnused(): void {
    for (const [what, s] of this.sources) {
      if (this.used.has(what)) continue;
      s.close();
      this.sources.delete(what);
    }
  }

  close(): void {
    this.closed = true;
    for (const s of this.sources.values()) s.close();
    this.sources.clear();
    this.mux.close();
  }

  instances(q: InstanceQuery): Promise<readonly Instance[]> {
    const meta = Object.entries(q.nodeMeta).sort().map(([k, v]) => `${k}=${v}`).join(',');
    const what = `service ${q.tag === '' ? '' : `${q.tag}.`}${q.service}${q.passingOnly ? '' : ' (any)'}${meta === '' ? '' : ` [${meta}]`}`;
    return this.read(what, (changed) => instancesSource(this.mux, q, changed, (why) => this.refused(what, why)), true);
  }

  services(): Promise<readonly ServiceEntry[]> {
    return this.read('services', (changed) => servicesSource(this.mux, changed, (why) => this.refused('services', why)));
  }

  nodes(): Promise<readonly NodeEntry[]> {
    return this.read('nodes', (changed) => nodesSource(this.mux, changed, (why) => this.refused('nodes', why)));
  }

  /** A key's value, or undefined when there is no such key. */
  async key(path: string): Promise<string | undefined> {
    const found = await this.read(`key ${path}`, (changed) => new KvSource(this.endpoints, path, false, changed));
    return found[0]?.value;
  }

  /** Every key under a prefix. */
  tree(prefix: string): Promise<readonly KvEntry[]> {
    return this.read(`tree ${prefix}`, (changed) => new KvSource(this.endpoints, prefix, true, changed));
  }

  private async read<T>(what: string, open: (changed: () => void) => Source<readonly T[]>, isServiceList = false): Promise<readonly T[]> {
    if (this.closed) throw new Error('the template was stopped');
    const refusal = this.refusals.get(what);
    if (refusal !== undefined && Date.now() - refusal.at < REFUSED_RETRY_MS) throw new Error(`${what}: ${refusal.why}`);
    this.refusals.delete(what);
    let source = this.sources.get(what) as Source<readonly T[]> | undefined;
    if (source === undefined) {
      source = open(() => this.onChange());
      this.sources.set(what, source);
    }
    const until = Date.now() + FIRST_ANSWER_MS;
    while (source.value() === undefined) {
      if (Date.now() >= until) throw new Error(`no answer for ${what} in ${FIRST_ANSWER_MS / 1000} s: ${source.why()}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, until - Date.now());
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    const value = source.value()!;
    this.used.set(what, { what, source, ...(isServiceList ? { instances: value.length } : {}) });
    return value;
  }

  /** A watch the server refused: forgotten (the render that read it is held), opened again by the next render. */
  private refused(what: string, why: string): void {
    this.sources.get(what)?.close();
    this.sources.delete(what);
    this.refusals.set(what, { why, at: Date.now() });
    this.changed();
  }

  private onChange(): void {
    const waiting = this.waiters;
    this.waiters = [];
    for (const w of waiting) w();
    this.changed();
  }
}
