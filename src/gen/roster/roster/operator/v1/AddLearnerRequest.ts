// Original file: proto/roster/operator.proto


export interface AddLearnerRequest {
  'name'?: (string);
  'peerAddr'?: (string);
}

export interface AddLearnerRequest__Output {
  'name': (string);
  'peerAddr': (string);
}
