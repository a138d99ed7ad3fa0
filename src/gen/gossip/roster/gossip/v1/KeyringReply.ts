// Original file: proto/roster/gossip.proto


export interface KeyringReply {
  'ok'?: (boolean);
  'error'?: (string);
  'fingerprints'?: (string)[];
  'primary'?: (string);
}

export interface KeyringReply__Output {
  'ok': (boolean);
  'error': (string);
  'fingerprints': (string)[];
  'primary': (string);
}
