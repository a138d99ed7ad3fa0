import { EMPTY_DATA } from '../raft/index.js';
import { ENTRY_TAG, unwrapEntry } from '../store/envelope.js';
import { toGrpcError } from '../api/grpc-errors.js';
import { RosterError } from '../util/errors.js';
import { NO_NODE, type NodeId } from '../util/ids.js';
import { deadlineIn, type Deadline } from '../time/deadline.js';
import { decodeMemberAttributes } from './applier.js';
import { KEEPALIVE_METHOD } from './lease-runtime.js';

/** The internal method a follower uses to hand a raw entry (member attributes) to the leader. */
export const PROPOSE_METHOD = '/roster.internal/Propose';

/** Runs a client call that arrived over the peer port (the API installs it: it knows how to run client methods). */
export type ForwardedCallHandler = (method: string, payload: Uint8Array, deadline: Deadline | undefined) => Promise<Uint8Array>;

/** What one-hop calls need of their server. */
export interface PeerCallsDeps {
  self(): NodeId;
  leader(): NodeId;
  /** The one hop over the peer port to `to`. */
  send(to: NodeId, method: string, payload: Uint8Array, deadline: Deadline | undefined): Promise<Uint8Array>;
  /** Lease keep-alives a follower batched for the leader. */
  keepAlive(payload: Uint8Array, deadline: Deadline | undefined): Promise<Uint8Array>;
  /** Proposes a raw entry here as leader. */
  proposeEntry(data: Uint8Array, deadline: Deadline): Promise<unknown>;
  readonly defaultRequestTimeoutMs: number;
}

/**
 * Calls one server hands another over the peer port, both ways: a client request sent to the
 * leader (one hop, never more), and the leader's side, which runs it: a client method, a batch of
 * lease keep-alives, or a member's attributes to propose.
 */
export class PeerCalls {
  /** Unset until the API is up: until then forwarded client calls are refused. */
  handler: ForwardedCallHandler | undefined;

  constructor(private readonly d: PeerCallsDeps) {}

  /** Sends a client request to the leader (one hop); the caller handles "no leader". */
  forwardToLeader(method: string, payload: Uint8Array, deadline: Deadline | undefined): Promise<Uint8Array> {
    const leader = this.d.leader();
    if (leader === NO_NODE || leader === this.d.self()) return Promise.reject(new RosterError('NO_LEADER', 'etcdserver: no leader'));
    return this.d.send(leader, method, payload, deadline);
  }

  /** Runs a call another server forwarded here. */
  async served(method: string, payload: Uint8Array, deadline: Deadline | undefined): Promise<Uint8Array> {
    try {
      if (method === KEEPALIVE_METHOD) return await this.d.keepAlive(payload, deadline);
      if (method === PROPOSE_METHOD) {
        // Only members publishing their own attributes use this path: check before proposing.
        const env = unwrapEntry(payload);
        if (env?.tag !== ENTRY_TAG.memberAttributes) throw new RosterError('BAD_COMMAND', 'only member attributes may be proposed through the peer port');
        decodeMemberAttributes(env.body);
        await this.d.proposeEntry(payload, deadline ?? deadlineIn(this.d.defaultRequestTimeoutMs));
        return EMPTY_DATA;
      }
      if (this.handler === undefined) throw new RosterError('UNAVAILABLE', 'this server does not serve client requests yet');
      return await this.handler(method, payload, deadline);
    } catch (err) {
      throw toGrpcError(err); // keep the status code (and leader hint) across the hop
    }
  }
}
