// Original file: proto/roster/agent.proto


export interface JoinRequest {
  'address'?: (string);
}

export interface JoinRequest__Output {
  'address': (string);
}
