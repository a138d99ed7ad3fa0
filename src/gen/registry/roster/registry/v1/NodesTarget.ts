// Original file: proto/roster/registry.proto


export interface NodesTarget {
}

export interface NodesTarget__Output {
}
