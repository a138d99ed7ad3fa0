import type * as grpc from '@grpc/grpc-js';
import { randomBytes } from 'node:crypto';
import type { LeaseGrantRequest__Output } from '../../gen/etcd/etcdserverpb/LeaseGrantRequest.js';
import type { LeaseGrantResponse } from '../../gen/etcd/etcdserverpb/LeaseGrantResponse.js';
import type { LeaseLeasesResponse } from '../../gen/etcd/etcdserverpb/LeaseLeasesResponse.js';
import type { LeaseRevokeResponse } from '../../gen/etcd/etcdserverpb/LeaseRevokeResponse.js';
import type { LeaseTimeToLiveResponse } from '../../gen/etcd/etcdserverpb/LeaseTimeToLiveResponse.js';
import { etcdProto } from '../../proto/etcd-proto.js';
import type { LeaseKeepAliveRequest__Output } from '../../gen/etcd/etcdserverpb/LeaseKeepAliveRequest.js';
import type { LeaseRevokeRequest__Output } from '../../gen/etcd/etcdserverpb/LeaseRevokeRequest.js';
import type { LeaseTimeToLiveRequest__Output } from '../../gen/etcd/etcdserverpb/LeaseTimeToLiveRequest.js';
import { kvError } from '../../store/kv/kv-errors.js';
import { MAX_LEASE_TTL } from '../../store/kv/lease-layout.js';
import { RosterError } from '../../util/errors.js';
import type { CallContext } from '../call-context.js';
import type { ForwardCall } from '../routes.js';
import type { ApiSettings, Leadership, Leases, Proposals, Reads } from '../server-interfaces.js';
import type { HeaderAt } from './response-header.js';
import { toGrpcError } from '../grpc-errors.js';
import { deadlineIn } from '../../time/deadline.js';
import type { Authorizer } from '../../store/acl/authorizer.js';
import { leaseItems } from '../../store/kv/lease-layout.js';
import { NAMESPACE, namespaceOf } from '../../store/kv/namespace.js';
import { keyParts } from '../../store/registry/keys.js';
import { nodeServices } from '../../store/registry/queries.js';
import { ALLOW_ALL } from '../access/access-rules.js';
import { leaseRevokeNeeds, readableLeaseKeys } from '../access/lease-access.js';
import { requireAll } from '../access/registry-access.js';

/** A positive int64 id, as etcd picks one when the client leaves ID at 0. */
function randomLeaseId(): bigint {
  const id = randomBytes(8).readBigInt64BE() & 0x7fff_ffff_ffff_ffffn;
  return id === 0n ? 1n : id;
}

function parseId(raw: string, what: string): bigint {
  try {
    return BigInt(raw);
  } catch {
    throw new RosterError('INVALID_ARGUMENT', `${what}: not an int64: ${raw}`);
  }
}

/**
 * etcd's Lease service. Grant and revoke are log entries like any write; keep-alives are not:
 * the leader keeps every lease's deadline in memory (LeaseRuntime) and a follower batches the
 * keep-alives it receives into one call to the leader. TimeToLive asks the leader, which alone
 * knows the remaining time.
 */
export class LeaseService {
  constructor(
    private readonly b: Leadership & Reads & Proposals & Leases & ApiSettings,
    private readonly header: HeaderAt,
    private readonly forward: ForwardCall,
  ) {}

  async grant(req: LeaseGrantRequest__Output, ctx: CallContext): Promise<LeaseGrantResponse> {
    const requested = Number(req.TTL);
    if (requested > MAX_LEASE_TTL) throw kvError('LEASE_TTL_TOO_LARGE', { ttl: requested });
    // etcd raises a TTL below its minimum instead of refusing it: a lease must outlive a leader change.
    const ttl = Math.max(Number.isFinite(requested) ? requested : 0, this.b.minLeaseTtlSeconds);
    const asked = parseId(req.ID, 'ID');
    const id = asked === 0n ? randomLeaseId() : asked;
    const res = await this.b.proposeKv({ type: 'leaseGrant', request: { id, ttl } }, ctx.deadline);
    if (res?.type !== 'leaseGrant') throw new RosterError('INTERNAL', 'no lease grant result');
    return { header: this.header(this.b.mvcc.revision()), ID: res.response.id.toString(), TTL: String(res.response.ttl), error: '' };
  }

  async revoke(req: LeaseRevokeRequest__Output, ctx: CallContext): Promise<LeaseRevokeResponse> {
    if (ctx.authz !== ALLOW_ALL) await this.mayRevoke(parseId(req.ID, 'ID'), ctx.authz);
    const res = await this.b.proposeKv({ type: 'leaseRevoke', request: { id: parseId(req.ID, 'ID') } }, ctx.deadline);
    if (res?.type !== 'leaseRevoke') throw new RosterError('INTERNAL', 'no lease revoke result');
    return { header: this.header(res.response.revision) };
  }

  async timeToLive(req: LeaseTimeToLiveRequest__Output, ctx: CallContext): Promise<LeaseTimeToLiveResponse> {
    if (!this.b.isLeader()) {
      // The leader answers a forwarded call unchecked: the keys are filtered here, for the caller.
      const r = (await this.forward(etcdProto().etcdserverpb.Lease.service.LeaseTimeToLive, req, ctx)) as LeaseTimeToLiveResponse & { keys: Buffer[] };
      return { ...r, keys: readableLeaseKeys(ctx.authz, r.keys ?? []).map((k) => Buffer.from(k)) };
    }
    const id = parseId(req.ID, 'ID');
    await this.b.readBarrier(ctx.deadline);
    const found = await this.b.mvcc.lease(id);
    const remaining = found === undefined ? undefined : await this.b.leaseRuntime.remainingMs(id, ctx.deadline);
    const header = this.header(this.b.mvcc.revision());
    if (found === undefined || remaining === undefined) return { header, ID: req.ID, TTL: '-1', grantedTTL: '0', keys: [] };
    return {
      header,
      ID: req.ID,
      TTL: String(Math.ceil(remaining / 1000)),
      grantedTTL: String(found.lease.ttl),
      keys: req.keys ? readableLeaseKeys(ctx.authz, found.keys).map((k) => Buffer.from(k)) : [],
    };
  }

  /** Refuses, naming the missing rule, unless the token may delete everything attached to lease `id`. */
  private async mayRevoke(id: bigint, authz: Authorizer): Promise<void> {
    const needs = await this.b.mvcc.read(async (v) => {
      const items: Uint8Array[] = [];
      for await (const k of leaseItems(v.kv, id)) items.push(k);
      const names = new Map<string, string>();
      for (const item of items) {
        if (namespaceOf(item) !== NAMESPACE.nodeServices) continue;
        const [node = ''] = keyParts(item);
        if (names.has(`${node}\u0000`)) continue;
        names.set(`${node}\u0000`, '');
        for (const svc of (await nodeServices(v.kv, node))?.services ?? []) names.set(`${node}\u0000${svc.record.id}`, svc.record.name);
      }
      return leaseRevokeNeeds(authz, items, (node, serviceId) => names.get(`${node}\u0000${serviceId}`));
    });
    requireAll(...needs);
  }

  async leases(_req: unknown, ctx: CallContext): Promise<LeaseLeasesResponse> {
    await this.b.readBarrier(ctx.deadline);
    const all = await this.b.mvcc.leases();
    return { header: this.header(this.b.mvcc.revision()), leases: all.map((l) => ({ ID: l.id.toString() })) };
  }

  /**
   * The keep-alive stream: one answer per request, in any order, with the lease's granted TTL
   * (0 when the lease does not exist or has expired, as etcd answers). A failure to reach the
   * leader ends the stream with UNAVAILABLE so the client reconnects, possibly elsewhere.
   */
  keepAlive(call: grpc.ServerDuplexStream<LeaseKeepAliveRequest__Output, unknown>): void {
    let ended = false;
    const fail = (err: unknown): void => {
      if (ended) return;
      ended = true;
      call.emit('error', toGrpcError(err));
    };
    call.on('data', (req: LeaseKeepAliveRequest__Output) => {
      let id: bigint;
      try {
        id = parseId(req.ID, 'ID');
      } catch (err) {
        fail(err);
        return;
      }
      this.b.leaseRuntime.renew([id], deadlineIn(this.b.cfg.defaultRequestTimeoutMs)).then(
        ([ttl]) => {
          if (ended || call.cancelled) return;
          call.write({ header: this.header(this.b.mvcc.revision()), ID: req.ID, TTL: String(ttl ?? 0) });
        },
        fail,
      );
    });
    call.on('end', () => {
      if (ended) return;
      ended = true;
      call.end();
    });
    call.on('error', () => {
      ended = true;
    });
  }
}
