// Original file: proto/roster/operator.proto


export interface MemberRequest {
  'name'?: (string);
}

export interface MemberRequest__Output {
  'name': (string);
}
