import type { Logger } from '../../util/logger.js';
import type { ApiBackend } from '../server-interfaces.js';
import type { ForwardCall, Routes } from '../routes.js';
import type { WatchHub } from '../watch/watch-hub.js';
import { CATALOG_ACCESS, HEALTH_ACCESS, LOCK_ACCESS, SESSION_ACCESS } from '../access/registry-access.js';
import { CatalogService } from './catalog-service.js';
import { HealthService } from './health-service.js';
import { registryProto } from '../../proto/registry-proto.js';
import { RegistryWatchService } from './registry-watch.js';
import { SessionService } from './session-service.js';
import { ConsulTxnService } from './consul-txn-service.js';
import { HANDLER_CHECKS } from '../access/registry-access.js';

export interface RegistryRoutesOptions {
  readonly backend: ApiBackend;
  readonly hub: WatchHub;
  readonly forward: ForwardCall;
  readonly logger: Logger;
  readonly watchMaxPendingBytes: number | undefined;
  readonly watchProgressEveryMs: number | undefined;
  /** A server that has not heard from a leader this long tells its watchers it is stale. */
  readonly staleAfterMs: number;
}

/** Roster's registry: catalog, health, sessions, locks and watch streams (roster.registry.v1). */
export function addRegistryRoutes(routes: Routes, o: RegistryRoutesOptions): void {
  const b = o.backend;
  const catalog = new CatalogService(b);
  const health = new HealthService(b, o.forward);
  const p = registryProto().roster.registry.v1;
  const sessions = new SessionService(b, o.forward);
  const txn = new ConsulTxnService(b, o.forward);
  const watch = new RegistryWatchService({
    backend: b,
    hub: o.hub,
    maxPendingBytes: o.watchMaxPendingBytes ?? 8 * 1024 * 1024,
    maxWatches: b.cfg.maxWatchesPerStream,
    onLimit: (limit) => routes.refusedBy(limit),
    progressEveryMs: o.watchProgressEveryMs ?? 10_000,
    staleAfterMs: o.staleAfterMs,
    logger: o.logger,
  });
  for (const svc of [p.Catalog, p.Health, p.Sessions, p.Locks, p.Txn, p.Watch]) {
    routes.addService(svc.service);
  }
  routes.guard(p.Catalog, CATALOG_ACCESS);
  routes.guard(p.Health, HEALTH_ACCESS);
  routes.guard(p.Sessions, SESSION_ACCESS);
  routes.guard(p.Locks, LOCK_ACCESS);
  // Each operation is checked by the handler, some against the state (whose service a check is).
  routes.guard(p.Txn, { Apply: HANDLER_CHECKS });
  // Each watch of the stream is checked against the token as it is created (registry-watch.ts).
  routes.guard(p.Watch, { Watch: 'open' });
  routes.addDuplex(p.Watch, 'Watch', (call, authz) => watch.watch(call, authz));
  routes.onStop.push(() => watch.stop());
  routes.gauges.set('watch.registry_streams', () => watch.openStreams);
  routes.gauges.set('watch.registry_targets', () => watch.sharedTargets);
  routes.addUnary(p.Catalog, {
    Register: (r, c) => catalog.register(r, c),
    Deregister: (r, c) => catalog.deregister(r, c),
    ListServices: (r, c) => catalog.listServices(r, c),
    ListNodes: (r, c) => catalog.listNodes(r, c),
    NodeServices: (r, c) => catalog.nodeServices(r, c),
  });
  routes.addUnary(p.Health, {
    ServiceInstances: (r, c) => health.serviceInstances(r, c),
    Checks: (r, c) => health.checks(r, c),
    UpdateTtl: (r, c) => health.updateTtl(r, c),
  });
  routes.addUnary(p.Sessions, {
    Create: (r, c) => sessions.create(r, c),
    Destroy: (r, c) => sessions.destroy(r, c),
    Renew: (r, c) => sessions.renew(r, c),
    Info: (r, c) => sessions.info(r, c),
    List: (r, c) => sessions.list(r, c),
  });
  routes.addUnary(p.Locks, {
    Acquire: (r, c) => sessions.acquire(r, c),
    Release: (r, c) => sessions.release(r, c),
    Get: (r, c) => sessions.getLock(r, c),
  });
  routes.addUnary(p.Txn, { Apply: (r, c) => txn.apply(r, c) });
}
