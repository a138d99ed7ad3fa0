// Original file: proto/roster/agent.proto

import type { AgentInstance as _roster_agent_v1_AgentInstance, AgentInstance__Output as _roster_agent_v1_AgentInstance__Output } from '../../../roster/agent/v1/AgentInstance.js';
import type { Long } from '@grpc/proto-loader';

export interface InstancesResponse {
  'instances'?: (_roster_agent_v1_AgentInstance)[];
  'stale'?: (boolean);
  'staleReason'?: (string);
  'revision'?: (number | string | Long);
}

export interface InstancesResponse__Output {
  'instances': (_roster_agent_v1_AgentInstance__Output)[];
  'stale': (boolean);
  'staleReason': (string);
  'revision': (number);
}
