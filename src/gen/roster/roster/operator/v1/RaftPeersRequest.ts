// Original file: proto/roster/operator.proto


export interface RaftPeersRequest {
}

export interface RaftPeersRequest__Output {
}
