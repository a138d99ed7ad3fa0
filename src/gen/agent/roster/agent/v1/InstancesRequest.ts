// Original file: proto/roster/agent.proto


export interface InstancesRequest {
  'service'?: (string);
  'includeUnhealthy'?: (boolean);
}

export interface InstancesRequest__Output {
  'service': (string);
  'includeUnhealthy': (boolean);
}
