// Original file: proto/roster/agent.proto


export interface DeregisterCheckResponse {
}

export interface DeregisterCheckResponse__Output {
}
