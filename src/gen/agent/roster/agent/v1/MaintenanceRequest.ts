// Original file: proto/roster/agent.proto


export interface MaintenanceRequest {
  'enable'?: (boolean);
  'serviceId'?: (string);
  'reason'?: (string);
}

export interface MaintenanceRequest__Output {
  'enable': (boolean);
  'serviceId': (string);
  'reason': (string);
}
