// Original file: /work/main/proto/etcd/etcdserverpb/rpc.proto


export interface LeaseLeasesRequest {
}

export interface LeaseLeasesRequest__Output {
}
