import type * as grpc from '@grpc/grpc-js';

/** The largest peer message accepted or sent (appends are bounded by the core's maxSizePerMsg, 1 MiB; this leaves room for framing). */
export const PEER_MESSAGE_MAX_BYTES = 64 * 1024 * 1024;

/** gRPC channel settings shared by peer clients and the peer server. */
export const PEER_CHANNEL_OPTIONS: grpc.ChannelOptions = {
  'grpc.max_receive_message_length': PEER_MESSAGE_MAX_BYTES,
  'grpc.max_send_message_length': PEER_MESSAGE_MAX_BYTES,
  // Notice a peer that vanished without closing its connections (kill -9 of a host, a cable).
  'grpc.keepalive_time_ms': 10_000,
  'grpc.keepalive_timeout_ms': 5_000,
  'grpc.keepalive_permit_without_calls': 1,
  'grpc.initial_reconnect_backoff_ms': 100,
  'grpc.max_reconnect_backoff_ms': 1_000,
};
