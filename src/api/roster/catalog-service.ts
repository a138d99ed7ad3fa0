import type { DeregisterRequest__Output } from '../../gen/registry/roster/registry/v1/DeregisterRequest.js';
import type { ListNodesRequest__Output } from '../../gen/registry/roster/registry/v1/ListNodesRequest.js';
import type { ListServicesRequest__Output } from '../../gen/registry/roster/registry/v1/ListServicesRequest.js';
import type { NodeServicesRequest__Output } from '../../gen/registry/roster/registry/v1/NodeServicesRequest.js';
import type { RegisterRequest__Output } from '../../gen/registry/roster/registry/v1/RegisterRequest.js';
import type { ListNodesResponse } from '../../gen/registry/roster/registry/v1/ListNodesResponse.js';
import type { ListServicesResponse } from '../../gen/registry/roster/registry/v1/ListServicesResponse.js';
import type { NodeServicesResponse } from '../../gen/registry/roster/registry/v1/NodeServicesResponse.js';
import type { WriteResponse } from '../../gen/registry/roster/registry/v1/WriteResponse.js';
import { listNodes, listServices, nodeServices, nodeSource } from '../../store/registry/queries.js';
import { registryError } from '../../store/registry/registry-errors.js';
import { validateRegistryCommand } from '../../store/registry/validate.js';
import { ALLOW_ALL } from '../access/access-rules.js';
import { checkReadable, checkWrite, requireAll } from '../access/registry-access.js';
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
    if (ctx.authz !== ALLOW_ALL) await this.mayDeregister(cmd, ctx);
    const res = await this.b.proposeRegistry(cmd, ctx.deadline);
    return { revision: String(res.revision), changed: res.changed };
  }

  /**
   * Consul's rule: a service needs service:write on its name, a check write on its service (or
   * its node, for a node check), the whole node node:write. What is not there needs node:write.
   */
  private async mayDeregister(cmd: { node: string; serviceId: string; checkId: string }, ctx: CallContext): Promise<void> {
    const authz = ctx.authz;
    const found = await this.b.mvcc.read((v) => nodeServices(v.kv, cmd.node));
    if (cmd.serviceId !== '') {
      const svc = found?.services.find((x) => x.record.id === cmd.serviceId);
      return requireAll(svc === undefined ? authz.nodeWrite(cmd.node) : authz.serviceWrite(svc.record.name));
    }
    if (cmd.checkId !== '') {
      const check = found?.checks.find((x) => x.record.id === cmd.checkId);
      return requireAll(check === undefined ? authz.nodeWrite(cmd.node) : checkWrite(authz, check.record));
    }
    requireAll(authz.nodeWrite(cmd.node));
  }

  async listServices(req: ListServicesRequest__Output, ctx: CallContext): Promise<ListServicesResponse> {
    const { value, meta } = await runQuery(this.b, req.options, ctx, async (kv) => ({ value: await listServices(kv, req.nodeMeta) }));
    return { services: value.filter((x) => ctx.authz.serviceRead(x.record.name).allowed).map(summaryOut), meta };
  }

  async listNodes(req: ListNodesRequest__Output, ctx: CallContext): Promise<ListNodesResponse> {
    const { value, meta } = await runQuery(this.b, req.options, ctx, async (kv) => {
      const nodes = (await listNodes(kv, req.nodeMeta)).filter((n) => ctx.authz.nodeRead(n.record.name).allowed);
      return { value: await Promise.all(nodes.map(async (n) => ({ ...nodeOut(n.record, n), source: await nodeSource(kv, n) }))) };
    });
    return { nodes: value, meta };
  }

  async nodeServices(req: NodeServicesRequest__Output, ctx: CallContext): Promise<NodeServicesResponse> {
    const { value, meta } = await runQuery(this.b, req.options, ctx, async (kv) => ({ value: await nodeServices(kv, req.node) }));
    if (value === undefined) throw registryError('NODE_NOT_FOUND', `no node ${req.node}`, { node: req.node });
    return {
      node: nodeOut(value.node.record, value.node),
      services: value.services.filter((x) => ctx.authz.serviceRead(x.record.name).allowed).map((x) => serviceOut(x.record, x)),
      checks: value.checks.filter((c) => checkReadable(ctx.authz, c.record)).map((c) => checkOut(c.record, c)),
      meta,
    };
  }
}
