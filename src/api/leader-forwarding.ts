import { RosterError } from '../util/errors.js';
import { NO_NODE } from '../util/ids.js';
import type { ReplyOf } from '../proto/grpc-service.js';
import type { ForwardCall } from './routes.js';
import type { Leadership, LeaderHop, Membership, ServedBy } from './server-interfaces.js';

/** What forwarding needs of the server: who leads, where it answers, and the hop to it. */
export type LeaderForwardingServer = ServedBy & Pick<Leadership, 'leader'> & Pick<Membership, 'clientAddrOf'> & LeaderHop;

/**
 * The one hop to the leader for a call only the leader can answer, encoded with the method's own
 * serializers (its generated definition). A call that was forwarded already is never forwarded
 * again, and with no leader elsewhere it is refused with the leader hint, so the client can retry.
 */
export function leaderForwarding(server: LeaderForwardingServer): ForwardCall {
  return async (def, req, ctx) => {
    const leader = server.leader();
    if (ctx.forwarded || leader === NO_NODE || leader === server.identity.name) {
      throw new RosterError('NO_LEADER', 'etcdserver: no leader', { leader, leaderAddr: leader === NO_NODE ? '' : (server.clientAddrOf(leader) ?? '') });
    }
    const answer = await server.forwardToLeader(def.path, def.requestSerialize(req), ctx.deadline);
    return def.responseDeserialize(Buffer.from(answer)) as ReplyOf<typeof def>;
  };
}
