// Original file: proto/roster/agent.proto


export interface LeaveRequest {
}

export interface LeaveRequest__Output {
}
