// Original file: proto/roster/operator.proto


export interface MembersRequest {
}

export interface MembersRequest__Output {
}
