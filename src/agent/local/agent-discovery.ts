import { Endpoints } from '../../client/endpoints.js';
import { PLAINTEXT, type Dialer } from '../../client/dialer.js';
import { ServiceCache } from '../../client/service-cache.js';
import { WatchMux } from '../../client/watch-mux.js';
import type { Clock } from '../../util/clock.js';
import { RosterError } from '../../util/errors.js';

/** How long a first query waits for gossip to name a server (an agent that has just started). */
const FIRST_SERVER_WAIT_MS = 10_000;
/** An entry asked for this recently may have a caller waiting for its first answer: it stays. */
const RECENT_MS = FIRST_SERVER_WAIT_MS;
/** How often the upstream's server list follows gossip. */
const REFRESH_MS = 2000;

/**
 * The agent's discovery cache: one upstream watch (over one multiplexed stream to a server) per
 * distinct query, shared by every local caller. The caches keep serving the last instances they
 * knew, marked stale, while no server answers, and catch up when one does. The servers are the
 * ones gossip knows, followed as they come and go; the watch stream fails over among them.
 */
export interface DiscoveryLimits {
  /** Distinct queries cached at once; beyond, the least recently used idle one is evicted. */
  readonly maxEntries: number;
  /** A query nobody has asked or watched for this long is evicted (its upstream watch ends). */
  readonly idleMs: number;
}

export const DISCOVERY_DEFAULTS: DiscoveryLimits = { maxEntries: 4096, idleMs: 10 * 60_000 };

interface Entry {
  readonly cache: ServiceCache;
  lastUsedAt: number;
}

export class AgentDiscovery {
  private mux: WatchMux | undefined;
  private endpoints: Endpoints | undefined;
  private refresh: NodeJS.Timeout | undefined;
  private readonly sweeper: NodeJS.Timeout;
  /** In least recently used order: a use moves an entry to the end. */
  private readonly entries = new Map<string, Entry>();
  /** Entries evicted (idle or to make room), and queries refused because every entry was in use. */
  evictions = 0;
  refusals = 0;

  constructor(
    private readonly servers: () => readonly string[],
    private readonly limits: DiscoveryLimits = DISCOVERY_DEFAULTS,
    private readonly clock: Clock = { now: () => performance.now() },
    private readonly dial: Dialer = PLAINTEXT,
  ) {
    this.sweeper = setInterval(() => this.evictIdle(), Math.min(60_000, Math.max(100, limits.idleMs / 2)));
    this.sweeper.unref();
  }

  get size(): number {
    return this.entries.size;
  }

  /** The cache for a query; a query that comes before gossip has named any server waits for one a while. */
  async cacheWhenReady(service: string, includeUnhealthy: boolean): Promise<ServiceCache> {
    const until = this.clock.now() + FIRST_SERVER_WAIT_MS;
    while (this.mux === undefined && this.servers().length === 0 && this.clock.now() < until) await new Promise((r) => setTimeout(r, 100));
    return this.cache(service, includeUnhealthy);
  }

  /** Whether the query is cached already (Consul's X-Cache: HIT). */
  holds(service: string, includeUnhealthy: boolean): boolean {
    return this.entries.has(`${service}|${includeUnhealthy}`);
  }

  cache(service: string, includeUnhealthy: boolean): ServiceCache {
    const key = `${service}|${includeUnhealthy}`;
    const now = this.clock.now();
    const found = this.entries.get(key);
    if (found !== undefined) {
      this.entries.delete(key);
      found.lastUsedAt = now;
      this.entries.set(key, found);
      return found.cache;
    }
    if (this.entries.size >= this.limits.maxEntries && !this.evictOne()) {
      this.refusals++;
      throw new RosterError('RESOURCE_EXHAUSTED', `the agent's discovery cache holds ${this.entries.size} queries, all being watched (--cache-max-entries): retry later or raise the limit`);
    }
    const cache = new ServiceCache(service, this.upstream(), { passingOnly: !includeUnhealthy });
    cache.setMaxListeners(0); // every local watcher listens
    this.entries.set(key, { cache, lastUsedAt: now });
    return cache;
  }

  /**
   * Calls `wake` on every change the query's upstream watch sees (Consul's blocking queries
   * wait on this); returns how to stop. A followed query is in use, so it is never evicted.
   */
  follow(service: string, includeUnhealthy: boolean, wake: () => void): () => void {
    const cache = this.cache(service, includeUnhealthy);
    cache.on('change', wake);
    return () => void cache.off('change', wake);
  }

  /** Ends the upstream watch of every query unused for idleMs and watched by nobody. */
  evictIdle(): void {
    const now = this.clock.now();
    for (const [key, e] of this.entries) {
      if (now - e.lastUsedAt >= this.limits.idleMs && !inUse(e.cache)) this.evict(key, e);
    }
  }

  /**
   * Makes room: the least recently used entry nobody watches goes, unless it was asked for in
   * the last RECENT_MS (a one-shot query may still be waiting for its first answer).
   */
  private evictOne(): boolean {
    const now = this.clock.now();
    for (const [key, e] of this.entries) {
      if (now - e.lastUsedAt >= RECENT_MS && !inUse(e.cache)) {
        this.evict(key, e);
        return true;
      }
    }
    return false;
  }

  private evict(key: string, e: Entry): void {
    this.entries.delete(key);
    e.cache.close();
    this.evictions++;
  }

  close(): void {
    clearInterval(this.sweeper);
    for (const e of this.entries.values()) e.cache.close();
    this.entries.clear();
    this.mux?.close();
    this.endpoints?.close();
    if (this.refresh !== undefined) clearInterval(this.refresh);
  }

  private knownServers(): string[] {
    return [...this.servers()].sort();
  }

  private upstream(): WatchMux {
    if (this.mux !== undefined) return this.mux;
    const addrs = this.knownServers();
    if (addrs.length === 0) throw new Error('no server known from gossip yet; retry shortly');
    const endpoints = new Endpoints(addrs, this.dial);
    this.endpoints = endpoints;
    this.mux = new WatchMux(endpoints);
    this.refresh = setInterval(() => {
      const now = this.knownServers();
      if (now.length > 0) endpoints.setAddresses(now);
    }, REFRESH_MS);
    this.refresh.unref();
    return this.mux;
  }
}

/** A local WatchInstances caller listens for changes: its entry must stay. */
function inUse(cache: ServiceCache): boolean {
  return cache.listenerCount('change') > 0;
}
