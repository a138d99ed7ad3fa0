// Original file: proto/roster/registry.proto


export interface AcquireRequest {
  'key'?: (Buffer | Uint8Array | string);
  'value'?: (Buffer | Uint8Array | string);
  'session'?: (string);
}

export interface AcquireRequest__Output {
  'key': (Buffer);
  'value': (Buffer);
  'session': (string);
}
