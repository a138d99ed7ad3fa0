import type { MemberView } from '../../gossip/member-table.js';
import type { ApiBackend, PoolForceLeave, PoolKeyring } from '../server-interfaces.js';
import type { ForwardCall, Routes } from '../routes.js';
import { operatorProto } from '../../proto/operator-proto.js';
import type { Authorizer, Decision } from '../../store/acl/authorizer.js';
import { OperatorService } from './operator-service.js';

/** Roster's Operator service. */
export function addOperatorRoutes(routes: Routes, b: ApiBackend, forward: ForwardCall, gossipMembers: () => readonly MemberView[] | undefined, poolKeyring?: PoolKeyring, poolForceLeave?: PoolForceLeave): void {
  const op = new OperatorService(b, forward, routes.gauges, gossipMembers, poolKeyring, poolForceLeave);
  const Operator = operatorProto().roster.operator.v1.Operator;
  routes.addService(Operator.service);
  // Reading the cluster's state needs operator:read; changing it, operator:write (Consul's rules).
  const read = (_req: unknown, authz: Authorizer): Decision[] => [authz.operatorRead()];
  // The gossip keyring: Consul's keyring rule (read to list, write to change it).
  const keyring = (req: unknown, authz: Authorizer): Decision[] => [(req as { operation?: string }).operation === 'list' ? authz.keyringRead() : authz.keyringWrite()];
  routes.guard(Operator, { RaftPeers: read, Stats: read, Members: read, Keyring: keyring });
  routes.guardRest(Operator, 'operator');
  routes.addUnary(Operator, {
    RaftPeers: (r, c) => op.raftPeers(r, c),
    AddLearner: (r, c) => op.addLearner(r, c),
    Promote: (r, c) => op.promote(r, c),
    Remove: (r, c) => op.remove(r, c),
    TransferLeader: (r, c) => op.transferLeader(r, c),
    Stats: (r) => op.stats(r),
    Members: () => op.members(),
    Keyring: (r) => op.keyring(r),
  });
  routes.serverStream.set('/roster.operator.v1.Operator/Snapshot', () => op.snapshot());
}
