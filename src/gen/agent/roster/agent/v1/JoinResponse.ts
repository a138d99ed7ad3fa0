// Original file: proto/roster/agent.proto


export interface JoinResponse {
}

export interface JoinResponse__Output {
}
