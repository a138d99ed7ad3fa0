// Original file: proto/roster/acl.proto


export interface TokenIdRequest {
  'accessorId'?: (string);
}

export interface TokenIdRequest__Output {
  'accessorId': (string);
}
