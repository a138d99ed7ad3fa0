// Original file: proto/roster/raft.proto


export interface ForwardResponse {
  'payload'?: (Buffer | Uint8Array | string);
}

export interface ForwardResponse__Output {
  'payload': (Buffer);
}
