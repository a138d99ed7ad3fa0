// Original file: proto/roster/operator.proto

import type { KeyringMemberAnswer as _roster_operator_v1_KeyringMemberAnswer, KeyringMemberAnswer__Output as _roster_operator_v1_KeyringMemberAnswer__Output } from '../../../roster/operator/v1/KeyringMemberAnswer.js';
import type { KeyringKeyCount as _roster_operator_v1_KeyringKeyCount, KeyringKeyCount__Output as _roster_operator_v1_KeyringKeyCount__Output } from '../../../roster/operator/v1/KeyringKeyCount.js';

export interface KeyringResponse {
  'members'?: (number);
  'answered'?: (number);
  'answers'?: (_roster_operator_v1_KeyringMemberAnswer)[];
  'keys'?: (_roster_operator_v1_KeyringKeyCount)[];
  'fingerprint'?: (string);
}

export interface KeyringResponse__Output {
  'members': (number);
  'answered': (number);
  'answers': (_roster_operator_v1_KeyringMemberAnswer__Output)[];
  'keys': (_roster_operator_v1_KeyringKeyCount__Output)[];
  'fingerprint': (string);
}
