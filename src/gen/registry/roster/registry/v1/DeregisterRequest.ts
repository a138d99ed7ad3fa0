// Original file: proto/roster/registry.proto


export interface DeregisterRequest {
  'node'?: (string);
  'serviceId'?: (string);
  'checkId'?: (string);
}

export interface DeregisterRequest__Output {
  'node': (string);
  'serviceId': (string);
  'checkId': (string);
}
