// Original file: proto/roster/agent.proto


export interface DeregisterServiceResponse {
}

export interface DeregisterServiceResponse__Output {
}
