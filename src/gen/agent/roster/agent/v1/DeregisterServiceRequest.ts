// Original file: proto/roster/agent.proto


export interface DeregisterServiceRequest {
  'id'?: (string);
}

export interface DeregisterServiceRequest__Output {
  'id': (string);
}
