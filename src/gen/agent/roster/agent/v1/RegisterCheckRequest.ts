// Original file: proto/roster/agent.proto

import type { CheckDefinition as _roster_agent_v1_CheckDefinition, CheckDefinition__Output as _roster_agent_v1_CheckDefinition__Output } from '../../../roster/agent/v1/CheckDefinition.js';

export interface RegisterCheckRequest {
  'check'?: (_roster_agent_v1_CheckDefinition | null);
  'serviceId'?: (string);
  'status'?: (string);
}

export interface RegisterCheckRequest__Output {
  'check': (_roster_agent_v1_CheckDefinition__Output | null);
  'serviceId': (string);
  'status': (string);
}
