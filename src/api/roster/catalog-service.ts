import type { DeregisterRequest__Output } from '../../gen/registry/roster/registry/v1/DeregisterRequest.js';
import type { ListNodesRequest__Output } from '../../gen/registry/roster/registry/v1/ListNodesRequest.js';
import type { ListServicesRequest__Output } from '../../gen/registry/roster/registry/v1/ListServicesRequest.js';
import type { NodeServicesRequest__Output } from '../../gen/registry/roster/registry/v1/NodeServicesRequest.js';
import type { RegisterRequest__Output } from '../../gen/registry/roster/registry/v1/RegisterRequest.js';
import type { ListNodesResponse } from '../../gen/registry/roster/registry/v1/ListNodesResponse.js';
import type { ListServicesResponse } from '../../gen/registry/roster/registry/v1/ListServicesResponse.js';
import type { NodeServicesResponse } from '../../gen/registry/roster/registry/v1/NodeServicesResponse.js';
import type { WriteResponse } from '../../gen/registry/roster/registry/v1/WriteResponse.js';
import { listNodes, listServices, nodeServices } from '../../store/registry/queries.js';
import { registryError } from '../../store/registry/registry-errors.js';
import { validateRegistryCommand } from '../../store/registry/validate.js';
import type { CallContext } from '../call-context.js';
import type { Proposals } from '../server-interfaces.js';
import { runQuery, type QueryServer } from './query.js';
import { checkOut, nodeOut, registerIn, serviceOut, summaryOut } from './registry-convert.js';

/**
 * Consul's catalog over gRPC: register and deregister go through the log (any server; a
 * follower hands them to the leader), reads follow the caller's consistency mode.
 */
export class CatalogService {
  constructor(private readonly b: QueryServer & Proposals) {}

  async register(req: RegisterRequest__Output, ctx: CallContext): Promise<WriteResponse> {
    const cmd = registerIn(req);
    validateRegistryCommand(cmd);
    const res = await this.b.proposeRegistry(cmd, ctx.deadline);
    return { revision: String(res.revision), changed: res.changed };
  }

  async deregister(req: DeregisterRequest__Output, ctx: CallContext): Promise<WriteResponse> {
    const cmd = { type: 'deregister' as const, node: req.node, serviceId: req.serviceId, checkId: req.checkId };
    validateRegistryCommand(cmd);
    const res = await this.b.proposeRegistry(cmd, ctx.deadline);
    return { revision: String(res.revision), changed: res.changed };
  }

  async listServices(req: ListServicesRequest__Output, ctx: CallContext): Promise<ListServicesResponse> {
    const { value, meta } = await runQuery(this.b, req.options, ctx, async (kv) => ({ value: await listServices(kv, req.nodeMeta) }));
    return { services: value.map(summaryOut), meta };
  }

  async listNodes(req: ListNodesRequest__Output, ctx: CallContext): Promise<ListNodesResponse> {
    const { value, meta } = await runQuery(this.b, req.options, ctx, async (kv) => ({ value: await listNodes(kv, req.nodeMeta) }));
    return { nodes: value.map((n) => nodeOut(n.record, n)), meta };
  }

  async nodeServices(req: NodeServicesRequest__Output, ctx: CallContext): Promise<NodeServicesResponse> {
    const { value, meta } = await runQuery(this.b, req.options, ctx, async (kv) => ({ value: await nodeServices(kv, req.node) }));
    if (value === undefined) throw registryError('NODE_NOT_FOUND', `no node ${req.node}`, { node: req.node });
    return {
      node: nodeOut(value.node.record, value.node),
      services: value.services.map((s) => serviceOut(s.record, s)),
      checks: value.checks.map((c) => checkOut(c.record, c)),
      meta,
    };
  }
}
