// Original file: proto/roster/agent.proto

import type { AgentService as _roster_agent_v1_AgentService, AgentService__Output as _roster_agent_v1_AgentService__Output } from '../../../roster/agent/v1/AgentService.js';
import type { CheckState as _roster_agent_v1_CheckState, CheckState__Output as _roster_agent_v1_CheckState__Output } from '../../../roster/agent/v1/CheckState.js';
import type { Long } from '@grpc/proto-loader';

export interface ServicesResponse {
  'services'?: (_roster_agent_v1_AgentService)[];
  'syncs'?: (number | string | Long);
  'syncError'?: (string);
  'nodeChecks'?: (_roster_agent_v1_CheckState)[];
}

export interface ServicesResponse__Output {
  'services': (_roster_agent_v1_AgentService__Output)[];
  'syncs': (number);
  'syncError': (string);
  'nodeChecks': (_roster_agent_v1_CheckState__Output)[];
}
