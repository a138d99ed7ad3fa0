// Original file: proto/roster/agent.proto

import type { CheckState as _roster_agent_v1_CheckState, CheckState__Output as _roster_agent_v1_CheckState__Output } from '../../../roster/agent/v1/CheckState.js';

export interface RegisterCheckResponse {
  'check'?: (_roster_agent_v1_CheckState | null);
}

export interface RegisterCheckResponse__Output {
  'check': (_roster_agent_v1_CheckState__Output | null);
}
