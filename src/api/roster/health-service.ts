import type { ChecksRequest__Output } from '../../gen/registry/roster/registry/v1/ChecksRequest.js';
import type { ServiceInstancesRequest__Output } from '../../gen/registry/roster/registry/v1/ServiceInstancesRequest.js';
import type { UpdateTtlRequest__Output } from '../../gen/registry/roster/registry/v1/UpdateTtlRequest.js';
import type { ChecksResponse } from '../../gen/registry/roster/registry/v1/ChecksResponse.js';
import type { ServiceInstancesResponse } from '../../gen/registry/roster/registry/v1/ServiceInstancesResponse.js';
import type { UpdateTtlResponse } from '../../gen/registry/roster/registry/v1/UpdateTtlResponse.js';
import { registryProto } from '../../proto/registry-proto.js';
import { checksInState, nodeAndCheck, serviceInstances } from '../../store/registry/queries.js';
import { REGISTRY_LIMITS, checkName } from '../../store/registry/validate.js';
import { RosterError } from '../../util/errors.js';
import { ALLOW_ALL } from '../access/access-rules.js';
import { checkReadable, checkWrite, requireAll } from '../access/registry-access.js';
import type { CallContext } from '../call-context.js';
import type { ForwardCall } from '../routes.js';
import type { RegistryClocks } from '../server-interfaces.js';
import { runQuery, type QueryServer } from './query.js';
import { checkOut, instanceOut, statusIn, truncateUtf8 } from './registry-convert.js';

/** The health side of the catalog: who is healthy, which checks are in which state, TTL updates. */
export class HealthService {
  constructor(
    private readonly b: QueryServer & RegistryClocks,
    private readonly forward: ForwardCall,
  ) {}

  async serviceInstances(req: ServiceInstancesRequest__Output, ctx: CallContext): Promise<ServiceInstancesResponse> {
    if (req.service === '') throw new RosterError('INVALID_ARGUMENT', 'service: is required');
    const { value, meta } = await runQuery(this.b, req.options, ctx, async (kv) => {
      const found = await serviceInstances(kv, req.service, { tag: req.tag, nodeMeta: req.nodeMeta, passingOnly: req.passingOnly });
      return { value: found.instances, index: found.index };
    });
    // Without service:read on it the list is empty (Consul's filtering, not a refusal); an
    // instance on a node the token may not read is left out; so are checks it may not read.
    const authz = ctx.authz;
    const readable = authz === ALLOW_ALL || authz.serviceRead(req.service).allowed;
    const visible = authz === ALLOW_ALL ? value : value.filter((v) => readable && authz.nodeRead(v.record.node.name).allowed).map((v) => ({ ...v, record: { ...v.record, checks: v.record.checks.filter((c) => checkReadable(authz, c)) } }));
    return { instances: visible.map(instanceOut), meta };
  }

  async checks(req: ChecksRequest__Output, ctx: CallContext): Promise<ChecksResponse> {
    const state = statusIn(req.state);
    const { value, meta } = await runQuery(this.b, req.options, ctx, async (kv) => ({ value: await checksInState(kv, state === '' ? 'any' : state, req.service) }));
    return { checks: value.filter((c) => checkReadable(ctx.authz, c.record)).map((c) => checkOut(c.record, c)), meta };
  }

  /** TTL renewals run on the leader, which alone keeps the clocks; a follower forwards them. */
  async updateTtl(req: UpdateTtlRequest__Output, ctx: CallContext): Promise<UpdateTtlResponse> {
    checkName(req.node, 'node');
    checkName(req.checkId, 'check_id');
    if (ctx.authz !== ALLOW_ALL) {
      const found = await this.b.mvcc.read((v) => nodeAndCheck(v.kv, req.node, req.checkId));
      const check = found?.check;
      requireAll(check === undefined ? ctx.authz.nodeWrite(req.node) : checkWrite(ctx.authz, check.record));
    }
    if (!this.b.isLeader()) return this.forward(registryProto().roster.registry.v1.Health.service.UpdateTtl, req, ctx);
    const status = statusIn(req.status);
    const res = await this.b.registryRuntime.updateTtl(req.node, req.checkId, status === '' ? 'passing' : status, truncateUtf8(req.output, REGISTRY_LIMITS.outputBytes), ctx.deadline);
    return { revision: String(res.revision), ttlMs: String(res.ttlMs) };
  }
}
