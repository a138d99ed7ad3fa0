// Original file: proto/roster/operator.proto


export interface KeyringRequest {
  'operation'?: (string);
  'key'?: (string);
}

export interface KeyringRequest__Output {
  'operation': (string);
  'key': (string);
}
