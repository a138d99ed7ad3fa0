// Original file: /work/main/proto/etcd/etcdserverpb/rpc.proto


export interface DefragmentRequest {
}

export interface DefragmentRequest__Output {
}
