// Original file: proto/roster/gossip.proto


export interface Gossip {
}

export interface Gossip__Output {
}
