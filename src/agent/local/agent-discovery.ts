import { Endpoints } from '../../client/endpoints.js';
import { ServiceCache } from '../../client/service-cache.js';
import { WatchMux } from '../../client/watch-mux.js';

/**
 * The agent's discovery cache: one upstream watch (over one multiplexed stream to a server) per
 * distinct query, shared by every local caller. The caches keep serving the last instances they
 * knew, marked stale, while no server answers, and catch up when one does. The servers are the
 * ones gossip knows when the first query arrives; the watch stream fails over among them.
 */
export class AgentDiscovery {
  private mux: WatchMux | undefined;
  private endpoints: Endpoints | undefined;
  private readonly caches = new Map<string, ServiceCache>();

  constructor(private readonly servers: () => readonly string[]) {}

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
  }

  private upstream(): WatchMux {
    if (this.mux !== undefined) return this.mux;
    const addrs = [...this.servers()].sort();
    if (addrs.length === 0) throw new Error('no server known from gossip yet; retry shortly');
    this.endpoints = new Endpoints(addrs);
    this.mux = new WatchMux(this.endpoints);
    return this.mux;
  }
}
