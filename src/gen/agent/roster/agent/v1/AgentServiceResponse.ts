// Original file: proto/roster/agent.proto

import type { AgentService as _roster_agent_v1_AgentService, AgentService__Output as _roster_agent_v1_AgentService__Output } from '../../../roster/agent/v1/AgentService.js';

export interface AgentServiceResponse {
  'service'?: (_roster_agent_v1_AgentService | null);
}

export interface AgentServiceResponse__Output {
  'service': (_roster_agent_v1_AgentService__Output | null);
}
