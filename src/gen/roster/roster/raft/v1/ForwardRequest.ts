// Original file: proto/roster/raft.proto


export interface ForwardRequest {
  'method'?: (string);
  'payload'?: (Buffer | Uint8Array | string);
}

export interface ForwardRequest__Output {
  'method': (string);
  'payload': (Buffer);
}
