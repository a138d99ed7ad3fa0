// Original file: proto/roster/agent.proto


export interface UpdateTtlRequest {
  'checkId'?: (string);
  'status'?: (string);
  'output'?: (string);
}

export interface UpdateTtlRequest__Output {
  'checkId': (string);
  'status': (string);
  'output': (string);
}
