// Original file: proto/roster/acl.proto


export interface PolicyWriteRequest {
  'id'?: (string);
  'name'?: (string);
  'description'?: (string);
  'rules'?: (string);
}

export interface PolicyWriteRequest__Output {
  'id': (string);
  'name': (string);
  'description': (string);
  'rules': (string);
}
