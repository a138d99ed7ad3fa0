// Original file: proto/roster/agent.proto


export interface AgentInstance {
  'id'?: (string);
  'name'?: (string);
  'node'?: (string);
  'address'?: (string);
  'port'?: (number);
  'tags'?: (string)[];
  'status'?: (string);
}

export interface AgentInstance__Output {
  'id': (string);
  'name': (string);
  'node': (string);
  'address': (string);
  'port': (number);
  'tags': (string)[];
  'status': (string);
}
