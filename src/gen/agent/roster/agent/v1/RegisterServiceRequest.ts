// Original file: proto/roster/agent.proto

import type { ServiceDefinition as _roster_agent_v1_ServiceDefinition, ServiceDefinition__Output as _roster_agent_v1_ServiceDefinition__Output } from '../../../roster/agent/v1/ServiceDefinition.js';
import type { CheckDefinition as _roster_agent_v1_CheckDefinition, CheckDefinition__Output as _roster_agent_v1_CheckDefinition__Output } from '../../../roster/agent/v1/CheckDefinition.js';

export interface RegisterServiceRequest {
  'service'?: (_roster_agent_v1_ServiceDefinition | null);
  'checks'?: (_roster_agent_v1_CheckDefinition)[];
}

export interface RegisterServiceRequest__Output {
  'service': (_roster_agent_v1_ServiceDefinition__Output | null);
  'checks': (_roster_agent_v1_CheckDefinition__Output)[];
}
