import * as grpc from '@grpc/grpc-js';
import type { OperatorClient as OperatorStub, OperatorDefinition } from '../gen/roster/roster/operator/v1/Operator.js';
import type { RaftPeersResponse__Output } from '../gen/roster/roster/operator/v1/RaftPeersResponse.js';
import type { MembersResponse__Output } from '../gen/roster/roster/operator/v1/MembersResponse.js';
import type { StatsResponse__Output } from '../gen/roster/roster/operator/v1/StatsResponse.js';
import type { KeyringResponse__Output } from '../gen/roster/roster/operator/v1/KeyringResponse.js';
import type { RaftPeer__Output } from '../gen/roster/roster/operator/v1/RaftPeer.js';
import type { MethodName, ReplyOf, RequestOf } from '../proto/grpc-service.js';
import { operatorProto } from '../proto/operator-proto.js';
import { unaryCall } from './unary-call.js';
import { PLAINTEXT, type Dialer } from './dialer.js';

export type RaftPeer = RaftPeer__Output;

/** A client for Roster's Operator service (on any server's client port). */
export class OperatorClient {
  private readonly client: OperatorStub;

  constructor(
    endpoint: string,
    private readonly timeoutMs = 10_000,
    dial: Dialer = PLAINTEXT,
  ) {
    const Ctor = operatorProto().roster.operator.v1.Operator;
    const d = dial(endpoint);
    this.client = new Ctor(endpoint, d.credentials, d.options);
  }

  private unary<M extends MethodName<OperatorDefinition>>(method: M, req: RequestOf<OperatorDefinition[M]>): Promise<ReplyOf<OperatorDefinition[M]>> {
    const def = operatorProto().roster.operator.v1.Operator.service[method];
    return unaryCall(this.client, def, req, new grpc.Metadata(), { deadline: Date.now() + this.timeoutMs });
  }

  raftPeers(): Promise<RaftPeersResponse__Output> {
    return this.unary('RaftPeers', {});
  }

  addLearner(name: string, peerAddr: string): Promise<{ peers: RaftPeer[] }> {
    return this.unary('AddLearner', { name, peerAddr });
  }

  promote(name: string): Promise<{ peers: RaftPeer[] }> {
    return this.unary('Promote', { name });
  }

  /** Removes a member from Raft; `gossip` says what the leader's gossip did with it (operator.proto). */
  remove(name: string): Promise<{ peers: RaftPeer[]; gossip: string }> {
    return this.unary('Remove', { name });
  }

  transferLeader(name: string): Promise<{ peers: RaftPeer[] }> {
    return this.unary('TransferLeader', { name });
  }

  /** The answering server's memory and gauges; collectGarbage needs it started with --expose-gc. */
  stats(collectGarbage = false): Promise<StatsResponse__Output> {
    return this.unary('Stats', { collectGarbage });
  }

  /** The gossip pool as the answering server sees it. */
  members(): Promise<MembersResponse__Output> {
    return this.unary('Members', {});
  }

  /** A gossip keyring operation on every member of the answering server's pool, with each answer. */
  keyring(operation: 'install' | 'use' | 'remove' | 'list', key: string): Promise<KeyringResponse__Output> {
    return this.unary('Keyring', { operation, key });
  }

  /** The state image, in chunks; the first carries the total size. */
  snapshot(): AsyncIterable<{ data: Buffer; totalBytes: number }> {
    return this.client.Snapshot({});
  }

  close(): void {
    this.client.close();
  }
}
