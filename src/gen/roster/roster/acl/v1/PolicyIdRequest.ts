// Original file: proto/roster/acl.proto


export interface PolicyIdRequest {
  'id'?: (string);
  'name'?: (string);
}

export interface PolicyIdRequest__Output {
  'id': (string);
  'name': (string);
}
