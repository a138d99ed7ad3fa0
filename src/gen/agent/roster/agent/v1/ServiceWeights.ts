// Original file: proto/roster/agent.proto


export interface ServiceWeights {
  'passing'?: (number);
  'warning'?: (number);
}

export interface ServiceWeights__Output {
  'passing': (number);
  'warning': (number);
}
