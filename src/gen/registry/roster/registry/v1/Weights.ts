// Original file: proto/roster/registry.proto


export interface Weights {
  'passing'?: (number);
  'warning'?: (number);
}

export interface Weights__Output {
  'passing': (number);
  'warning': (number);
}
