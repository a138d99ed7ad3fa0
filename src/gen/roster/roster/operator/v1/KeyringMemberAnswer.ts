// Original file: proto/roster/operator.proto


export interface KeyringMemberAnswer {
  'name'?: (string);
  'ok'?: (boolean);
  'error'?: (string);
  'fingerprints'?: (string)[];
  'primary'?: (string);
}

export interface KeyringMemberAnswer__Output {
  'name': (string);
  'ok': (boolean);
  'error': (string);
  'fingerprints': (string)[];
  'primary': (string);
}
