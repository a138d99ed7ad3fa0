// Original file: proto/roster/gossip.proto


export interface KeyringRequest {
  'operation'?: (string);
  'key'?: (Buffer | Uint8Array | string);
}

export interface KeyringRequest__Output {
  'operation': (string);
  'key': (Buffer);
}
