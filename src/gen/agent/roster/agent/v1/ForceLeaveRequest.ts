// Original file: proto/roster/agent.proto


export interface ForceLeaveRequest {
  'node'?: (string);
}

export interface ForceLeaveRequest__Output {
  'node': (string);
}
