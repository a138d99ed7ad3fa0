import * as grpc from '@grpc/grpc-js';
import type { RaftPeerClient } from '../gen/roster/roster/raft/v1/RaftPeer.js';
import { raftProto } from '../proto/raft-proto.js';
import { decodeRaftMessage, encodeRaftMessage, type OutgoingRaftMessage } from './raft-message-codec.js';

/**
 * A peer's RaftPeer client whose Stream takes what the hand-written codec encodes (proto-loader's
 * generated type would promise its own message shape); InstallSnapshot and Forward as generated.
 */
export type PeerClient = Omit<RaftPeerClient, 'Stream' | 'stream'> & {
  Stream(metadata: grpc.Metadata, callback: grpc.requestCallback<unknown>): grpc.ClientWritableStream<OutgoingRaftMessage>;
};

let service: grpc.ServiceDefinition | undefined;
let Client: grpc.ServiceClientConstructor | undefined;

/**
 * The RaftPeer service as proto/roster/raft.proto defines it, with the Stream method's messages
 * (every Raft message but snapshots) going through the hand-written codec (raft-message-codec.ts)
 * instead of proto-loader's object conversions; InstallSnapshot and Forward are as loaded.
 */
export function raftPeerService(): grpc.ServiceDefinition {
  if (service !== undefined) return service;
  const loaded = raftProto().roster.raft.v1.RaftPeer.service;
  const stream = loaded.Stream;
  service = { ...loaded, Stream: { ...stream, requestSerialize: encodeRaftMessage, requestDeserialize: decodeRaftMessage } };
  return service;
}

/** A client of a peer's RaftPeer service (the same codec on its Stream). */
export function raftPeerClient(target: string, credentials: grpc.ChannelCredentials, options: grpc.ChannelOptions): PeerClient {
  Client ??= grpc.makeGenericClientConstructor(raftPeerService(), 'RaftPeer');
  return new Client(target, credentials, options) as unknown as PeerClient;
}
