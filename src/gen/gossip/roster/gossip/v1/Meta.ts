// Original file: proto/roster/gossip.proto


export interface Meta {
  'role'?: (string);
  'datacenter'?: (string);
  'rpcAddr'?: (string);
  'apiAddr'?: (string);
  'version'?: (string);
  'clusterId'?: (string);
}

export interface Meta__Output {
  'role': (string);
  'datacenter': (string);
  'rpcAddr': (string);
  'apiAddr': (string);
  'version': (string);
  'clusterId': (string);
}
