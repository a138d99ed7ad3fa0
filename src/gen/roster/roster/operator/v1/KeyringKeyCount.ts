// Original file: proto/roster/operator.proto


export interface KeyringKeyCount {
  'fingerprint'?: (string);
  'installed'?: (number);
  'primary'?: (number);
}

export interface KeyringKeyCount__Output {
  'fingerprint': (string);
  'installed': (number);
  'primary': (number);
}
