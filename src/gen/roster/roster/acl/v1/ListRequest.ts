// Original file: proto/roster/acl.proto


export interface ListRequest {
}

export interface ListRequest__Output {
}
