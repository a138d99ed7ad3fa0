// Original file: proto/roster/agent.proto


export interface CheckState {
  'id'?: (string);
  'name'?: (string);
  'type'?: (string);
  'status'?: (string);
  'output'?: (string);
}

export interface CheckState__Output {
  'id': (string);
  'name': (string);
  'type': (string);
  'status': (string);
  'output': (string);
}
