// Original file: proto/roster/registry.proto


export interface SessionRequest {
  'id'?: (string);
}

export interface SessionRequest__Output {
  'id': (string);
}
