import { Endpoints } from '../../client/endpoints.js';
import { ServiceCache } from '../../client/service-cache.js';
import { WatchMux } from '../../client/watch-mux.js';

/** How long a first query waits for gossip to name a server (an agent that has just started). */
const FIRST_SERVER_WAIT_MS = 10_000;
/** How often the upstream's server list follows gossip. */
const REFRESH_MS = 2000;

/**
 * The agent's discovery cache: one upstream watch (over one multiplexed stream to a server) per
 * distinct query, shared by every local caller. The caches keep serving the last instances they
 * knew, marked stale, while no server answers, and catch up when one does. The servers are the
 * ones gossip knows, followed as they come and go; the watch stream fails over among them.
 */
export class AgentDiscovery {
  private mux: WatchMux | undefined;
  private endpoints: Endpoints | undefined;
  private refresh: NodeJS.Timeout | undefined;
  private readonly caches = new Map<string, ServiceCache>();

  constructor(private readonly servers: () => readonly string[]) {}

  /** The cache for a query; a query that comes before gossip has named any server waits for one a while. */
  async cacheWhenReady(service: string, includeUnhealthy: boolean): Promise<ServiceCache> {
    const until = Date.now() + FIRST_SERVER_WAIT_MS;
    while (this.mux === undefined && this.servers().length === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    return this.cache(service, includeUnhealthy);
  }

  cache(service: string, includeUnhealthy: boolean): ServiceCache {
    const key = `${service}|${includeUnhealthy}`;
    let c = this.caches.get(key);
    if (c === undefined) {
      c = new ServiceCache(service, this.upstream(), { passingOnly: !includeUnhealthy });
      c.setMaxListeners(0); // every local watcher listens
      this.caches.set(key, c);
    }
    return c;
  }

  close(): void {
    for (const c of this.caches.values()) c.close();
    this.caches.clear();
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
    const endpoints = new Endpoints(addrs);
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
