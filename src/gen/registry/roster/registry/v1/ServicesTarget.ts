// Original file: proto/roster/registry.proto


export interface ServicesTarget {
}

export interface ServicesTarget__Output {
}
