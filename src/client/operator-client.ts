import * as grpc from '@grpc/grpc-js';
import type { RaftPeersResponse__Output } from '../gen/roster/roster/operator/v1/RaftPeersResponse.js';
import type { MembersResponse__Output } from '../gen/roster/roster/operator/v1/MembersResponse.js';
import type { StatsResponse__Output } from '../gen/roster/roster/operator/v1/StatsResponse.js';
import type { RaftPeer__Output } from '../gen/roster/roster/operator/v1/RaftPeer.js';
import { operatorProto } from '../proto/operator-proto.js';

export type RaftPeer = RaftPeer__Output;

/** A client for Roster's Operator service (on any server's client port). */
export class OperatorClient {
  private readonly client: grpc.Client & Record<string, (...args: unknown[]) => unknown>;

  constructor(
    endpoint: string,
    private readonly timeoutMs = 10_000,
  ) {
    const Ctor = operatorProto().roster.operator.v1.Operator;
    this.client = new Ctor(endpoint, grpc.credentials.createInsecure()) as unknown as grpc.Client & Record<string, (...args: unknown[]) => unknown>;
  }

  private unary<T>(method: string, req: unknown): Promise<T> {
    return new Promise((resolve, reject) => {
      this.client[method]!(req, { deadline: Date.now() + this.timeoutMs }, (err: grpc.ServiceError | null, res: T) => (err ? reject(err) : resolve(res)));
    });
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

  remove(name: string): Promise<{ peers: RaftPeer[] }> {
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

  /** The state image, in chunks; the first carries the total size. */
  snapshot(): AsyncIterable<{ data: Buffer; totalBytes: number }> {
    return this.client.Snapshot!({}) as AsyncIterable<{ data: Buffer; totalBytes: number }>;
  }

  close(): void {
    this.client.close();
  }
}
