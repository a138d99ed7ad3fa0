// Original file: proto/roster/registry.proto


export interface NodeTarget {
  'node'?: (string);
}

export interface NodeTarget__Output {
  'node': (string);
}
