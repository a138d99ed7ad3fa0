// Original file: proto/roster/agent.proto


export interface DeregisterCheckRequest {
  'checkId'?: (string);
}

export interface DeregisterCheckRequest__Output {
  'checkId': (string);
}
