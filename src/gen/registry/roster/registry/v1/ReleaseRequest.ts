// Original file: proto/roster/registry.proto


export interface ReleaseRequest {
  'key'?: (Buffer | Uint8Array | string);
  'session'?: (string);
}

export interface ReleaseRequest__Output {
  'key': (Buffer);
  'session': (string);
}
