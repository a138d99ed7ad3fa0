// Original file: proto/roster/acl.proto


export interface PolicyLink {
  'id'?: (string);
  'name'?: (string);
}

export interface PolicyLink__Output {
  'id': (string);
  'name': (string);
}
