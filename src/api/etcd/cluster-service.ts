import type { ClusterDefinition } from '../../gen/etcd/etcdserverpb/Cluster.js';
import type { MemberAddRequest__Output } from '../../gen/etcd/etcdserverpb/MemberAddRequest.js';
import type { MemberAddResponse } from '../../gen/etcd/etcdserverpb/MemberAddResponse.js';
import type { MemberListResponse } from '../../gen/etcd/etcdserverpb/MemberListResponse.js';
import type { MemberPromoteResponse } from '../../gen/etcd/etcdserverpb/MemberPromoteResponse.js';
import type { MemberRemoveResponse } from '../../gen/etcd/etcdserverpb/MemberRemoveResponse.js';
import { etcdProto } from '../../proto/etcd-proto.js';
import type { Member } from '../../gen/etcd/etcdserverpb/Member.js';
import type { MemberListRequest__Output } from '../../gen/etcd/etcdserverpb/MemberListRequest.js';
import type { MemberPromoteRequest__Output } from '../../gen/etcd/etcdserverpb/MemberPromoteRequest.js';
import type { MemberRemoveRequest__Output } from '../../gen/etcd/etcdserverpb/MemberRemoveRequest.js';
import type { ConfChange } from '../../raft/index.js';
import { encodeConfChangeContext } from '../../store/cluster/conf-change-context.js';
import { RosterError } from '../../util/errors.js';
import { nodeId, type NodeId } from '../../util/ids.js';
import type { CallContext } from '../call-context.js';
import type { ForwardCall } from '../routes.js';
import type { Leadership, Membership, Reads } from '../server-interfaces.js';
import type { HeaderAt } from './response-header.js';

/** The Cluster service's method definitions (a follower forwards its changes with them). */
const cluster = (): ClusterDefinition => etcdProto().etcdserverpb.Cluster.service;

/** etcd's member_id for a member name (the same function as the server's). */
export type MemberIdOf = (name: string) => string;

/**
 * etcd's Cluster service over Raft membership: MemberList from the members table and the Raft
 * configuration; MemberAdd, MemberRemove and MemberPromote as Raft membership changes (on the
 * leader; a follower forwards). etcd's MemberAdd carries no name, so Roster derives a stable one
 * from the peer address; start the new server with that --name (the response shows it). Until
 * such a member has started and published its client address, MemberList shows it as etcd shows
 * an unstarted member: without a name or client URLs (etcdctl prints "unstarted").
 *
 * Client URLs carry no scheme (host:port): etcdctl's --cluster dials each member with the URL as
 * its HTTP/2 :authority, and Node's HTTP/2 (nghttp2) refuses an authority with "http://" in it.
 */
export class ClusterService {
  constructor(
    private readonly b: Leadership & Reads & Membership,
    private readonly header: HeaderAt,
    private readonly forward: ForwardCall,
    private readonly memberIdOf: MemberIdOf,
  ) {}

  async memberList(req: MemberListRequest__Output, ctx: CallContext): Promise<MemberListResponse> {
    if (req.linearizable) await this.b.readBarrier(ctx.deadline);
    return { header: this.header(0), members: this.members() };
  }

  async memberAdd(req: MemberAddRequest__Output, ctx: CallContext): Promise<MemberAddResponse> {
    if (!this.b.isLeader()) return this.forward(cluster().MemberAdd, req, ctx);
    const peerUrl = req.peerURLs[0];
    if (peerUrl === undefined) throw new RosterError('INVALID_ARGUMENT', 'etcdserver: member peer URL is required');
    const peerAddr = hostPort(peerUrl);
    if (this.members().some((m) => m.peerURLs?.includes(`http://${peerAddr}`))) {
      throw new RosterError('INVALID_ARGUMENT', 'etcdserver: Peer URLs already exists');
    }
    const name = nodeId(`m-${peerAddr.replace(/[^A-Za-z0-9]+/g, '-')}`);
    const cc: ConfChange = { type: req.isLearner ? 'addLearner' : 'addVoter', node: name, context: encodeConfChangeContext({ peerAddr, namedByAddress: true }) };
    await this.b.proposeConfChange(cc, ctx.deadline);
    const member: Member = { ID: this.memberIdOf(name), name, peerURLs: [`http://${peerAddr}`], clientURLs: [], isLearner: req.isLearner };
    return { header: this.header(0), member, members: this.members() };
  }

  async memberRemove(req: MemberRemoveRequest__Output, ctx: CallContext): Promise<MemberRemoveResponse> {
    if (!this.b.isLeader()) return this.forward(cluster().MemberRemove, req, ctx);
    await this.b.proposeConfChange({ type: 'removeNode', node: this.nameOf(req.ID) }, ctx.deadline);
    return { header: this.header(0), members: this.members() };
  }

  async memberPromote(req: MemberPromoteRequest__Output, ctx: CallContext): Promise<MemberPromoteResponse> {
    if (!this.b.isLeader()) return this.forward(cluster().MemberPromote, req, ctx);
    const name = this.nameOf(req.ID);
    if (!this.b.status().conf.learners.includes(name)) throw new RosterError('INVALID_ARGUMENT', 'etcdserver: can only promote a learner member');
    await this.b.proposeConfChange({ type: 'addVoter', node: name }, ctx.deadline);
    return { header: this.header(0), members: this.members() };
  }

  /** Every member: voters and learners of the Raft configuration, with their addresses. */
  members(): Member[] {
    const conf = this.b.status().conf;
    const names: NodeId[] = [...conf.voters, ...conf.learners].sort();
    const namedByAddress = new Set(this.b.memberAddresses().filter((m) => m.namedByAddress === true).map((m) => m.name));
    return names.map((name) => {
      const peer = this.b.peerAddrOf(name);
      const client = this.b.clientAddrOf(name);
      return {
        ID: this.memberIdOf(name),
        // A founder is named by --initial-cluster from the start, as in etcd.
        name: client === undefined && namedByAddress.has(name) ? '' : name,
        peerURLs: peer === undefined ? [] : [`http://${peer}`],
        clientURLs: client === undefined ? [] : [client],
        isLearner: conf.learners.includes(name),
      };
    });
  }

  nameOf(id: string): NodeId {
    const conf = this.b.status().conf;
    const found = [...conf.voters, ...conf.learners].find((n) => this.memberIdOf(n) === String(id));
    if (found === undefined) throw new RosterError('MEMBER_NOT_FOUND', 'etcdserver: member not found');
    return found;
  }
}

function hostPort(url: string): string {
  const m = /^(?:[a-z]+:\/\/)?([^/\s]+:\d{1,5})\/?$/.exec(url.trim());
  if (m === null) throw new RosterError('INVALID_ARGUMENT', `etcdserver: bad peer URL ${JSON.stringify(url)} (want http://host:port)`);
  return m[1]!;
}
