// Original file: proto/roster/agent.proto


export interface LeaveResponse {
}

export interface LeaveResponse__Output {
}
