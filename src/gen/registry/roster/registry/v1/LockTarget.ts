// Original file: proto/roster/registry.proto


export interface LockTarget {
  'key'?: (Buffer | Uint8Array | string);
  'rangeEnd'?: (Buffer | Uint8Array | string);
}

export interface LockTarget__Output {
  'key': (Buffer);
  'rangeEnd': (Buffer);
}
