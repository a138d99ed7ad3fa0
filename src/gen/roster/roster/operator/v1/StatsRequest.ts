// Original file: proto/roster/operator.proto


export interface StatsRequest {
  'collectGarbage'?: (boolean);
}

export interface StatsRequest__Output {
  'collectGarbage': (boolean);
}
