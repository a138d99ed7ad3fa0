// Original file: proto/roster/operator.proto


export interface SnapshotRequest {
}

export interface SnapshotRequest__Output {
}
