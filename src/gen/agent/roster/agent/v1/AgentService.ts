// Original file: proto/roster/agent.proto

import type { ServiceDefinition as _roster_agent_v1_ServiceDefinition, ServiceDefinition__Output as _roster_agent_v1_ServiceDefinition__Output } from '../../../roster/agent/v1/ServiceDefinition.js';
import type { CheckState as _roster_agent_v1_CheckState, CheckState__Output as _roster_agent_v1_CheckState__Output } from '../../../roster/agent/v1/CheckState.js';

export interface AgentService {
  'service'?: (_roster_agent_v1_ServiceDefinition | null);
  'checks'?: (_roster_agent_v1_CheckState)[];
}

export interface AgentService__Output {
  'service': (_roster_agent_v1_ServiceDefinition__Output | null);
  'checks': (_roster_agent_v1_CheckState__Output)[];
}
