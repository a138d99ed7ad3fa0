// Original file: proto/roster/agent.proto


export interface ServicesRequest {
}

export interface ServicesRequest__Output {
}
