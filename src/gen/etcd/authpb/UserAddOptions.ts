// Original file: proto/etcd/authpb/auth.proto


export interface UserAddOptions {
  'noPassword'?: (boolean);
}

export interface UserAddOptions__Output {
  'noPassword': (boolean);
}
