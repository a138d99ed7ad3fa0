// Original file: proto/roster/agent.proto


export interface ForceLeaveResponse {
}

export interface ForceLeaveResponse__Output {
}
