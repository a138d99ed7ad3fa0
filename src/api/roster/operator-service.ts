import { stateImageChunks } from '../state-image-stream.js';
import type { AddLearnerRequest__Output } from '../../gen/roster/roster/operator/v1/AddLearnerRequest.js';
import type { MembersResponse } from '../../gen/roster/roster/operator/v1/MembersResponse.js';
import type { MembershipResponse } from '../../gen/roster/roster/operator/v1/MembershipResponse.js';
import type { OperatorDefinition } from '../../gen/roster/roster/operator/v1/Operator.js';
import type { RaftPeersResponse } from '../../gen/roster/roster/operator/v1/RaftPeersResponse.js';
import type { StatsResponse } from '../../gen/roster/roster/operator/v1/StatsResponse.js';
import type { RaftPeersRequest__Output } from '../../gen/roster/roster/operator/v1/RaftPeersRequest.js';
import { operatorProto } from '../../proto/operator-proto.js';
import type { RequestOf } from '../../proto/grpc-service.js';
import type { StatsRequest__Output } from '../../gen/roster/roster/operator/v1/StatsRequest.js';
import type { MemberRequest__Output } from '../../gen/roster/roster/operator/v1/MemberRequest.js';
import type { MemberView } from '../../gossip/member-table.js';
import { encodeConfChangeContext } from '../../store/cluster/conf-change-context.js';
import { RosterError } from '../../util/errors.js';
import { NO_NODE, nodeId } from '../../util/ids.js';
import type { CallContext } from '../call-context.js';
import type { ForwardCall } from '../routes.js';
import type { ApiSettings, Leadership, Membership, PoolForceLeave, PoolKeyring, ServedBy, StateImages } from '../server-interfaces.js';
import type { KeyringRequest__Output } from '../../gen/roster/roster/operator/v1/KeyringRequest.js';
import type { KeyringResponse } from '../../gen/roster/roster/operator/v1/KeyringResponse.js';
import { isHostPort } from '../../util/host-port.js';
import { isPast } from '../../time/deadline.js';

/** The Operator service's method definitions (a follower forwards its changes with them). */
const operator = (): OperatorDefinition => operatorProto().roster.operator.v1.Operator.service;

/**
 * Roster's Operator service: Raft membership as an operator sees it (list, add a learner,
 * promote, remove, transfer leadership), and snapshots of the state. Membership changes run on
 * the leader (a follower forwards them); the peer list comes from the leader too, since only it
 * knows each member's match index and last contact.
 */
export class OperatorService {
  constructor(
    private readonly b: ServedBy & Leadership & Membership & StateImages & ApiSettings,
    private readonly forward: ForwardCall,
    private readonly gauges: ReadonlyMap<string, () => number>,
    private readonly gossipMembers: () => readonly MemberView[] | undefined,
    private readonly poolKeyring: PoolKeyring | undefined,
    private readonly poolForceLeave: PoolForceLeave | undefined,
  ) {}

  /**
   * A gossip keyring operation on every alive member this server sees (never forwarded, never in
   * the Raft log: each server reaches the pool itself, and keys stay out of the replicated state).
   */
  async keyring(req: KeyringRequest__Output): Promise<KeyringResponse> {
    if (this.poolKeyring === undefined) throw new RosterError('FAILED_PRECONDITION', `server ${this.b.identity.name} does not gossip (start it with --gossip-addr)`);
    const operation = (['install', 'use', 'remove', 'list'] as const).find((o) => o === req.operation);
    if (operation === undefined) throw new RosterError('INVALID_ARGUMENT', `operation must be install, use, remove or list, got ${JSON.stringify(req.operation)}`);
    if (operation !== 'list' && req.key === '') throw new RosterError('INVALID_ARGUMENT', `keyring ${operation} needs a key`);
    if (operation === 'list' && req.key !== '') throw new RosterError('INVALID_ARGUMENT', 'keyring list takes no key');
    const out = await this.poolKeyring(operation, req.key);
    return { members: out.members, answered: out.answered, answers: out.answers.map((a) => ({ ...a, fingerprints: [...a.fingerprints] })), keys: [...out.keys], fingerprint: out.fingerprint };
  }

  /** This server's gossip view (never forwarded: each server has its own). */
  // eslint-disable-next-line @typescript-eslint/require-await -- async so a refusal is a rejection, like every handler's
  async members(): Promise<MembersResponse> {
    const view = this.gossipMembers();
    if (view === undefined) throw new RosterError('FAILED_PRECONDITION', `server ${this.b.identity.name} does not gossip (start it with --gossip-addr)`);
    const members = [...view]
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((m) => ({ name: m.name, addr: m.addr, status: m.state === 'dead' ? 'failed' : m.state, role: m.meta.role, incarnation: m.incarnation, datacenter: m.meta.datacenter, rpcAddr: m.meta.rpcAddr, apiAddr: m.meta.apiAddr, version: m.meta.version }));
    return { members };
  }

  /** This server's memory and gauges (never forwarded: the figures are the answering process's). */
  // eslint-disable-next-line @typescript-eslint/require-await -- async so a refusal is a rejection, like every handler's
  async stats(req: StatsRequest__Output): Promise<StatsResponse> {
    // global.gc exists only under node --expose-gc; operators measuring memory start servers so.
    const gc = (globalThis as { gc?: () => void }).gc;
    const collected = req.collectGarbage && gc !== undefined;
    if (collected) gc();
    const m = process.memoryUsage();
    const gauges: Record<string, number> = {};
    for (const [name, read] of this.gauges) gauges[name] = read();
    return { name: this.b.identity.name, rssBytes: m.rss, heapUsedBytes: m.heapUsed, heapTotalBytes: m.heapTotal, externalBytes: m.external, arrayBuffersBytes: m.arrayBuffers, garbageCollected: collected, gauges };
  }

  async raftPeers(req: RaftPeersRequest__Output, ctx: CallContext): Promise<RaftPeersResponse> {
    if (!this.b.isLeader() && !ctx.forwarded && this.b.leader() !== NO_NODE) return this.forward(operator().RaftPeers, req, ctx);
    const st = this.b.status();
    return { peers: [...this.b.raftPeers()], term: st.term, commitIndex: st.commit, lastIndex: st.lastIndex };
  }

  async addLearner(req: AddLearnerRequest__Output, ctx: CallContext): Promise<MembershipResponse> {
    if (!isHostPort(req.peerAddr)) throw new RosterError('INVALID_ARGUMENT', `peer_addr must be host:port, got ${JSON.stringify(req.peerAddr)}`);
    const name = this.name(req.name);
    return this.change(operator().AddLearner, req, ctx, () =>
      this.b.proposeConfChange({ type: 'addLearner', node: name, context: encodeConfChangeContext({ peerAddr: req.peerAddr }) }, ctx.deadline),
    );
  }

  promote(req: MemberRequest__Output, ctx: CallContext): Promise<MembershipResponse> {
    const name = this.name(req.name);
    return this.change(operator().Promote, req, ctx, () => this.b.proposeConfChange({ type: 'addVoter', node: name }, ctx.deadline));
  }

  async remove(req: MemberRequest__Output, ctx: CallContext): Promise<MembershipResponse> {
    const name = this.name(req.name);
    let gossip = '';
    const res = await this.change(operator().Remove, req, ctx, async () => {
      await this.b.proposeConfChange({ type: 'removeNode', node: name }, ctx.deadline);
      // Gossip is told too: a removed server that has failed leaves the pool, and with it the
      // catalog, now rather than after the reap time (its Raft membership is already gone).
      gossip = this.poolForceLeave?.(name) ?? '';
    });
    return gossip === '' ? res : { ...res, gossip };
  }

  transferLeader(req: MemberRequest__Output, ctx: CallContext): Promise<MembershipResponse> {
    const name = this.name(req.name);
    return this.change(operator().TransferLeader, req, ctx, async () => {
      this.b.transferLeadership(name);
      while (!isPast(ctx.deadline)) {
        await new Promise((r) => setTimeout(r, 20));
        if (this.b.leader() === name) return;
        if (this.b.status().leadTransferee === NO_NODE && this.b.isLeader()) break;
      }
      throw new RosterError('UNAVAILABLE', `leadership transfer to ${name} did not complete (is it caught up and reachable?)`);
    });
  }

  /** Streams a consistent image of the state (taken between two applied batches). */
  async *snapshot(): AsyncIterable<unknown> {
    let first = true;
    for await (const c of stateImageChunks(this.b)) {
      yield { data: c.data, totalBytes: first ? c.totalBytes : 0 };
      first = false;
    }
  }

  private async change<M extends OperatorDefinition['AddLearner' | 'Promote' | 'Remove' | 'TransferLeader']>(def: M, req: RequestOf<M>, ctx: CallContext, run: () => Promise<void>): Promise<MembershipResponse> {
    if (!this.b.isLeader()) return this.forward(def, req, ctx);
    await run();
    return { peers: [...this.b.raftPeers()] };
  }

  private name(raw: string): ReturnType<typeof nodeId> {
    try {
      return nodeId(raw);
    } catch (err) {
      throw new RosterError('INVALID_ARGUMENT', (err as Error).message);
    }
  }
}
