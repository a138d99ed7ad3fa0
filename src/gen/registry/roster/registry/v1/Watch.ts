// Original file: proto/roster/registry.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { WatchRequest as _roster_registry_v1_WatchRequest, WatchRequest__Output as _roster_registry_v1_WatchRequest__Output } from '../../../roster/registry/v1/WatchRequest.js';
import type { WatchResponse as _roster_registry_v1_WatchResponse, WatchResponse__Output as _roster_registry_v1_WatchResponse__Output } from '../../../roster/registry/v1/WatchResponse.js';

export interface WatchClient extends grpc.Client {
  Watch(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_roster_registry_v1_WatchRequest, _roster_registry_v1_WatchResponse__Output>;
  Watch(options?: grpc.CallOptions): grpc.ClientDuplexStream<_roster_registry_v1_WatchRequest, _roster_registry_v1_WatchResponse__Output>;
  watch(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_roster_registry_v1_WatchRequest, _roster_registry_v1_WatchResponse__Output>;
  watch(options?: grpc.CallOptions): grpc.ClientDuplexStream<_roster_registry_v1_WatchRequest, _roster_registry_v1_WatchResponse__Output>;
  
}

export interface WatchHandlers extends grpc.UntypedServiceImplementation {
  Watch: grpc.handleBidiStreamingCall<_roster_registry_v1_WatchRequest__Output, _roster_registry_v1_WatchResponse>;
  
}

export interface WatchDefinition extends grpc.ServiceDefinition {
  Watch: MethodDefinition<_roster_registry_v1_WatchRequest, _roster_registry_v1_WatchResponse, _roster_registry_v1_WatchRequest__Output, _roster_registry_v1_WatchResponse__Output>
}
