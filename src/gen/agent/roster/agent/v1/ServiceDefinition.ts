// Original file: proto/roster/agent.proto


export interface ServiceDefinition {
  'id'?: (string);
  'name'?: (string);
  'port'?: (number);
  'address'?: (string);
  'tags'?: (string)[];
  'meta'?: ({[key: string]: string});
}

export interface ServiceDefinition__Output {
  'id': (string);
  'name': (string);
  'port': (number);
  'address': (string);
  'tags': (string)[];
  'meta': ({[key: string]: string});
}
