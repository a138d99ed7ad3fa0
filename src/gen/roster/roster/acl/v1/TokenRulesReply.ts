// Original file: proto/roster/acl.proto


export interface TokenRulesReply {
  'enabled'?: (boolean);
  'management'?: (boolean);
  'defaultPolicy'?: (string);
  'rules'?: (string)[];
}

export interface TokenRulesReply__Output {
  'enabled': (boolean);
  'management': (boolean);
  'defaultPolicy': (string);
  'rules': (string)[];
}
