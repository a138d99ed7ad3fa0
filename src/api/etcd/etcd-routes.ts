import { randomUUID } from 'node:crypto';
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
import { ETCD_API_VERSION, MaintenanceService } from './maintenance-service.js';
import { responseHeader } from './response-header.js';
import { WatchService } from './watch-service.js';
import { AuthService } from './auth-service.js';
import { etcdSealedImageChunks } from '../state-image-stream.js';
import type { Authorizer, Decision } from '../../store/acl/authorizer.js';

const aclRead = (_req: unknown, authz: Authorizer): Decision[] => [authz.aclRead()];
const aclWrite = (_req: unknown, authz: Authorizer): Decision[] => [authz.aclWrite()];

export interface EtcdRoutesOptions {
  readonly backend: ApiBackend;
  readonly forward: ForwardCall;
  readonly hub: WatchHub;
  readonly memberIdOf: (name: string) => string;
  readonly logger: Logger;
  readonly watchMaxPendingBytes: number | undefined;
  readonly watchProgressEveryMs: number | undefined;
}

/** etcd v3's services: KV, Watch, Lease, Cluster, Maintenance, Auth. */
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
    HashKV: (r) => maint.hashKV(r),
    Hash: () => maint.hash(),
  });
  routes.addUnary(p.Lease, {
    LeaseGrant: (r, c) => lease.grant(r, c),
    LeaseRevoke: (r, c) => lease.revoke(r, c),
    LeaseTimeToLive: (r, c) => lease.timeToLive(r, c),
    LeaseLeases: (r, c) => lease.leases(r, c),
  });
  // etcdctl snapshot save: Roster's own snapshot file (not a bbolt database) with etcd's SHA-256
  // seal, which roster snapshot inspect and restore take; the header's revision is the state's at the request.
  routes.serverStream.set('/etcdserverpb.Maintenance/Snapshot', async function* () {
    const at = header(b.mvcc.revision());
    for await (const c of etcdSealedImageChunks(b)) yield { header: at, remainingBytes: String(c.remainingBytes), blob: c.data, version: ETCD_API_VERSION };
  });
  routes.addDuplex(p.Lease, 'LeaseKeepAlive', (call) => lease.keepAlive(call));
  routes.addDuplex(p.Watch, 'Watch', (call, authz) => watch.watch(call, authz));
  addAuthRoutes(routes, new AuthService(b, header));
  routes.onStop.push(() => watch.stop());
  routes.gauges.set('watch.etcd_streams', () => watch.openStreams);
}

/**
 * etcd's Auth service. Authenticate and AuthStatus are open (a password is the credential);
 * everything else is ACL management: reads need acl:read, changes acl:write, which the root
 * role (management) has and, with ACLs off, everyone has, so a cluster is set up as etcd's is:
 * users and roles first, then auth enable.
 */
function addAuthRoutes(routes: Routes, auth: AuthService): void {
  const Auth = etcdProto().etcdserverpb.Auth;
  routes.addService(Auth.service);
  routes.addUnary(Auth, {
    AuthEnable: (_r, c) => auth.authEnable(c),
    AuthDisable: (_r, c) => auth.authDisable(c),
    AuthStatus: (_r, c) => auth.authStatus(c),
    Authenticate: (r, c) => auth.authenticate(r, c),
    UserAdd: (r, c) => auth.userAdd(r, c),
    UserGet: (r, c) => auth.userGet(r.name, c),
    UserList: (_r, c) => auth.userList(c),
    UserDelete: (r, c) => auth.write({ type: 'etcdUserDelete', name: r.name }, c),
    UserChangePassword: (r, c) => auth.userChangePassword(r, c),
    UserGrantRole: (r, c) => auth.write({ type: 'etcdUserGrantRole', name: r.user, role: r.role }, c),
    UserRevokeRole: (r, c) => auth.write({ type: 'etcdUserRevokeRole', name: r.name, role: r.role }, c),
    RoleAdd: (r, c) => auth.write({ type: 'etcdRoleAdd', name: r.name, id: randomUUID() }, c),
    RoleGet: (r, c) => auth.roleGet(r.role, c),
    RoleList: (_r, c) => auth.roleList(c),
    RoleDelete: (r, c) => auth.write({ type: 'etcdRoleDelete', name: r.role }, c),
    RoleGrantPermission: (r, c) => auth.roleGrant(r, c),
    RoleRevokePermission: (r, c) => auth.roleRevoke(r, c),
  });
  routes.guard(Auth, {
    Authenticate: 'open',
    AuthStatus: 'open',
    UserGet: aclRead,
    UserList: aclRead,
    RoleGet: aclRead,
    RoleList: aclRead,
  });
  routes.guardRest(Auth, aclWrite);
}
