// Original file: proto/roster/registry.proto


export interface TxnError {
  'opIndex'?: (number);
  'what'?: (string);
}

export interface TxnError__Output {
  'opIndex': (number);
  'what': (string);
}
