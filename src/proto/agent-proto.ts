import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { fileURLToPath } from 'node:url';
import type { ProtoGrpcType } from '../gen/agent/agent.js';

const PROTO_DIR = fileURLToPath(new URL('../../proto/', import.meta.url));
const OPTIONS: protoLoader.Options = { keepCase: false, longs: Number, enums: String, defaults: true, oneofs: true, includeDirs: [PROTO_DIR] };

let loaded: ProtoGrpcType | undefined;

/** Roster's client agent API (roster.agent.v1), loaded once. */
export function agentProto(): ProtoGrpcType {
  loaded ??= grpc.loadPackageDefinition(protoLoader.loadSync('roster/agent.proto', OPTIONS)) as unknown as ProtoGrpcType;
  return loaded;
}
