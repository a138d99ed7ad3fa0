import type { TxnOp__Output } from '../../gen/registry/roster/registry/v1/TxnOp.js';
import type { TxnRequest__Output } from '../../gen/registry/roster/registry/v1/TxnRequest.js';
import type { TxnResponse } from '../../gen/registry/roster/registry/v1/TxnResponse.js';
import type { TxnResult } from '../../gen/registry/roster/registry/v1/TxnResult.js';
import { registryProto } from '../../proto/registry-proto.js';
import type { Decision } from '../../store/acl/authorizer.js';
import { keyRangeRead, keyRangeWrite, keyReadBytes, keyWriteBytes } from '../../store/acl/key-ranges.js';
import type { ConsulCatalogVerb, ConsulKvVerb, ConsulTxnCommand, ConsulTxnOp, ConsulTxnResult } from '../../store/registry/commands.js';
import { nodeServices } from '../../store/registry/queries.js';
import { validateRegistryCommand } from '../../store/registry/validate.js';
import { isRosterError, RosterError } from '../../util/errors.js';
import { prefixRangeEnd } from '../../util/prefix-end.js';
import { ALLOW_ALL } from '../access/access-rules.js';
import { checkWrite, requireAll } from '../access/registry-access.js';
import type { CallContext } from '../call-context.js';
import type { ForwardCall } from '../routes.js';
import type { Proposals, RegistryClocks } from '../server-interfaces.js';
import type { QueryServer } from './query.js';
import { checkIn, checkOut, int64In, nodeIn, nodeOut, serviceIn, serviceOut } from './registry-convert.js';

const bad = (message: string): RosterError => new RosterError('INVALID_ARGUMENT', message);

/** One operation of the request as the command's. */
function opIn(o: TxnOp__Output, i: number): ConsulTxnOp {
  const at = `ops[${i}]`;
  if (o.kv !== null && o.kv !== undefined) {
    const k = o.kv;
    return { op: 'kv', verb: k.verb as ConsulKvVerb, key: new Uint8Array(k.key), value: new Uint8Array(k.value), flags: BigInt(k.flags), index: int64In(k.index, `${at}.index`), session: k.session };
  }
  if (o.node !== null && o.node !== undefined) return { op: 'node', verb: o.node.verb as ConsulCatalogVerb, node: nodeIn(o.node.node), index: int64In(o.node.index, `${at}.index`) };
  if (o.service !== null && o.service !== undefined) {
    if (o.service.service === null) throw bad(`${at}.service: is required`);
    return { op: 'service', verb: o.service.verb as ConsulCatalogVerb, service: serviceIn(o.service.service, o.service.node), index: int64In(o.service.index, `${at}.index`) };
  }
  if (o.check !== null && o.check !== undefined) {
    if (o.check.check === null) throw bad(`${at}.check: is required`);
    return { op: 'check', verb: o.check.verb as ConsulCatalogVerb, check: checkIn(o.check.check, o.check.check.node, ''), index: int64In(o.check.index, `${at}.index`) };
  }
  throw bad(`${at}: one of kv, node, service or check is required`);
}

function resultOut(r: ConsulTxnResult): TxnResult {
  switch (r.kind) {
    case 'kv':
      return {
        kv: { key: Buffer.from(r.key), value: Buffer.from(r.value ?? new Uint8Array(0)), hasValue: r.value !== undefined, flags: r.flags.toString(), lockIndex: String(r.lockIndex), session: r.session, createRevision: String(r.createRevision), modifyRevision: String(r.modRevision) },
      };
    case 'node':
      return { node: nodeOut(r.node.record, r.node) };
    case 'service':
      return { service: serviceOut(r.service.record, r.service) };
    case 'check':
      return { check: checkOut(r.check.record, r.check) };
  }
}

const READ_VERBS: ReadonlySet<string> = new Set(['get', 'get-tree', 'check-index', 'check-session', 'check-not-exists']);

/**
 * Consul's transactions (roster.registry.v1.Txn): the request's operations as one log entry.
 * Runs on the leader, which checks the lock delay of each lock operation first (a matter of its
 * clock, as for Locks.Acquire). Each operation needs what Consul's rules ask of it alone; a
 * transaction undone by a failing operation answers with that operation's index, not an error.
 */
export class ConsulTxnService {
  constructor(
    private readonly b: QueryServer & Proposals & RegistryClocks,
    private readonly forward: ForwardCall,
  ) {}

  async apply(req: TxnRequest__Output, ctx: CallContext): Promise<TxnResponse> {
    const ops = req.ops.map(opIn);
    // Read before the check: every session ending at or below this revision has set its delay.
    const cmd: ConsulTxnCommand = { type: 'consulTxn', ops, delayCheckedAt: this.b.mvcc.revision() };
    validateRegistryCommand(cmd);
    // Checked where the call arrives, as every method is: a forwarded call is not checked again.
    if (ctx.authz !== ALLOW_ALL) await this.authorize(ops, ctx);
    if (!this.b.isLeader()) return this.forward(registryProto().roster.registry.v1.Txn.service.Apply, req, ctx);
    for (const [i, op] of ops.entries()) {
      if (op.op === 'kv' && op.verb === 'lock' && this.b.registryRuntime.lockDelayLeftMs(op.key) > 0) {
        return { results: [], errors: [{ opIndex: i, what: `failed to lock key "${Buffer.from(op.key).toString('utf8')}": its lock delay has not passed` }], revision: String(this.b.mvcc.revision()) };
      }
    }
    try {
      const res = await this.b.proposeRegistry(cmd, ctx.deadline);
      return { results: (res.txn ?? []).map(resultOut), errors: [], revision: String(res.revision) };
    } catch (err) {
      if (isRosterError(err, 'TXN_ABORTED')) return { results: [], errors: [{ opIndex: Number(err.details.opIndex), what: err.message }], revision: String(this.b.mvcc.revision()) };
      throw err;
    }
  }

  /** Consul's rules for each operation: key read or write, node, service, or the check's service or node. */
  private async authorize(ops: readonly ConsulTxnOp[], ctx: CallContext): Promise<void> {
    const authz = ctx.authz;
    const decisions: Decision[] = [];
    for (const op of ops) {
      const reads = READ_VERBS.has(op.verb);
      switch (op.op) {
        case 'kv': {
          const tree = op.verb === 'get-tree' || op.verb === 'delete-tree';
          const end = prefixRangeEnd(op.key);
          if (tree) decisions.push(reads ? keyRangeRead(authz, op.key, end) : keyRangeWrite(authz, op.key, end));
          else decisions.push(reads ? keyReadBytes(authz, op.key) : keyWriteBytes(authz, op.key));
          break;
        }
        case 'node':
          decisions.push(reads ? authz.nodeRead(op.node.name) : authz.nodeWrite(op.node.name));
          break;
        case 'service': {
          // A get or delete names the service by id: its name is in the state.
          const found = await this.b.mvcc.read((v) => nodeServices(v.kv, op.service.node));
          const name = found?.services.find((s) => s.record.id === op.service.id)?.record.name ?? op.service.name;
          decisions.push(reads ? authz.serviceRead(name) : authz.serviceWrite(name));
          break;
        }
        case 'check': {
          const found = await this.b.mvcc.read((v) => nodeServices(v.kv, op.check.node));
          const stored = found?.checks.find((c) => c.record.id === op.check.id)?.record;
          const serviceId = op.check.serviceId !== '' ? op.check.serviceId : (stored?.serviceId ?? '');
          const serviceName = found?.services.find((s) => s.record.id === serviceId)?.record.name ?? '';
          if (reads) decisions.push(serviceId === '' ? authz.nodeRead(op.check.node) : authz.serviceRead(serviceName));
          else decisions.push(checkWrite(authz, { ...(stored ?? { ...op.check, status: 'critical' as const }), node: op.check.node, serviceId, serviceName }));
          break;
        }
      }
    }
    requireAll(...decisions);
  }
}
