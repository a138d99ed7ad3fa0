// Original file: proto/roster/registry.proto


export interface SessionsTarget {
  'node'?: (string);
}

export interface SessionsTarget__Output {
  'node': (string);
}
