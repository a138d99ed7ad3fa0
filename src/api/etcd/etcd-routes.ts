import type { Logger } from '../../util/logger.js';
import type { ForwardCall, Routes } from '../routes.js';
import type { WatchHub } from '../watch/watch-hub.js';
import type { ApiBackend } from '../server-interfaces.js';
import { KV_ACCESS } from '../access/kv-access.js';
import { ClusterService } from './cluster-service.js';
import { etcdProto } from '../../proto/etcd-proto.js';
import { kvHandlers, KvService, MAX_REQUEST_BYTES } from './kv-service.js';
import { LeaseService } from './lease-service.js';
import { LEASE_ACCESS } from '../access/lease-access.js';
import { MaintenanceService } from './maintenance-service.js';
import { responseHeader } from './response-header.js';
import { WatchService } from './watch-service.js';

export interface EtcdRoutesOptions {
  readonly backend: ApiBackend;
  readonly forward: ForwardCall;
  readonly hub: WatchHub;
  readonly memberIdOf: (name: string) => string;
  readonly logger: Logger;
  readonly watchMaxPendingBytes: number | undefined;
  readonly watchProgressEveryMs: number | undefined;
}

/** etcd v3's services: KV, Watch, Lease, Cluster, Maintenance. */
export function addEtcdRoutes(routes: Routes, o: EtcdRoutesOptions): void {
  const b = o.backend;
  const header = responseHeader(b);
  const kv = new KvService(b);
  const cluster = new ClusterService(b, header, o.forward, o.memberIdOf);
  const maint = new MaintenanceService(b, header, o.forward, cluster, o.memberIdOf);
  const lease = new LeaseService(b, header, o.forward);
  const watch = new WatchService({
    hub: o.hub,
    header: (revision) => ({ clusterId: b.identity.clusterId, memberId: b.memberId, revision, raftTerm: b.term() }),
    maxResponseBytes: MAX_REQUEST_BYTES,
    maxPendingBytes: o.watchMaxPendingBytes ?? 8 * 1024 * 1024,
    maxWatches: b.cfg.maxWatchesPerStream,
    onLimit: (limit) => routes.refusedBy(limit),
    progressEveryMs: o.watchProgressEveryMs ?? 10_000,
    logger: o.logger,
  });
  const p = etcdProto().etcdserverpb;
  for (const svc of [p.KV, p.Cluster, p.Maintenance, p.Lease, p.Watch]) routes.addService(svc.service);
  routes.addUnary(p.KV, kvHandlers(kv));
  routes.guard(p.KV, KV_ACCESS);
  // Who the members are and how a server is doing: what etcdctl's endpoint commands read, and
  // what Consul leaves open (/v1/status/*). Everything else there is an operator's.
  routes.guard(p.Cluster, { MemberList: 'open' });
  routes.guard(p.Maintenance, { Status: 'open' });
  // Each watch of the stream is checked against key rules as it is created (watch-service.ts).
  routes.guard(p.Watch, { Watch: 'open' });
  routes.guard(p.Lease, LEASE_ACCESS);
  for (const svc of [p.Cluster, p.Maintenance, p.Watch]) routes.guardRest(svc, 'operator');
  routes.addUnary(p.Cluster, {
    MemberList: (r, c) => cluster.memberList(r, c),
    MemberAdd: (r, c) => cluster.memberAdd(r, c),
    MemberRemove: (r, c) => cluster.memberRemove(r, c),
    MemberPromote: (r, c) => cluster.memberPromote(r, c),
  });
  routes.addUnary(p.Maintenance, {
    Status: (r, c) => maint.status(r, c),
    MoveLeader: (r, c) => maint.moveLeader(r, c),
    Alarm: () => maint.alarm(),
    Defragment: () => maint.defragment(),
  });
  routes.addUnary(p.Lease, {
    LeaseGrant: (r, c) => lease.grant(r, c),
    LeaseRevoke: (r, c) => lease.revoke(r, c),
    LeaseTimeToLive: (r, c) => lease.timeToLive(r, c),
    LeaseLeases: (r, c) => lease.leases(r, c),
  });
  routes.addDuplex(p.Lease, 'LeaseKeepAlive', (call) => lease.keepAlive(call));
  routes.addDuplex(p.Watch, 'Watch', (call, authz) => watch.watch(call, authz));
  routes.onStop.push(() => watch.stop());
  routes.gauges.set('watch.etcd_streams', () => watch.openStreams);
}
