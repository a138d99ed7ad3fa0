// Original file: proto/roster/registry.proto


export interface ServiceHealthTarget {
  'service'?: (string);
  'tag'?: (string);
  'nodeMeta'?: ({[key: string]: string});
  'passingOnly'?: (boolean);
}

export interface ServiceHealthTarget__Output {
  'service': (string);
  'tag': (string);
  'nodeMeta': ({[key: string]: string});
  'passingOnly': (boolean);
}
