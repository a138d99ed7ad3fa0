// Original file: proto/roster/agent.proto


export interface MaintenanceResponse {
  'active'?: (string)[];
}

export interface MaintenanceResponse__Output {
  'active': (string)[];
}
