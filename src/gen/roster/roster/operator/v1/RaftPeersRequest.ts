// Original file: /work/main/proto/roster/operator.proto


export interface RaftPeersRequest {
}

export interface RaftPeersRequest__Output {
}
