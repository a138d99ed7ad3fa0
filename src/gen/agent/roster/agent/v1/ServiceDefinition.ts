// Original file: proto/roster/agent.proto

import type { ServiceWeights as _roster_agent_v1_ServiceWeights, ServiceWeights__Output as _roster_agent_v1_ServiceWeights__Output } from '../../../roster/agent/v1/ServiceWeights.js';

export interface ServiceDefinition {
  'id'?: (string);
  'name'?: (string);
  'port'?: (number);
  'address'?: (string);
  'tags'?: (string)[];
  'meta'?: ({[key: string]: string});
  'weights'?: (_roster_agent_v1_ServiceWeights | null);
}

export interface ServiceDefinition__Output {
  'id': (string);
  'name': (string);
  'port': (number);
  'address': (string);
  'tags': (string)[];
  'meta': ({[key: string]: string});
  'weights': (_roster_agent_v1_ServiceWeights__Output | null);
}
