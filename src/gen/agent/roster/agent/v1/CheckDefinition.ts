// Original file: proto/roster/agent.proto

import type { Long } from '@grpc/proto-loader';

export interface CheckDefinition {
  'id'?: (string);
  'name'?: (string);
  'http'?: (string);
  'tcp'?: (string);
  'grpc'?: (string);
  'ttlMs'?: (number | string | Long);
  'intervalMs'?: (number | string | Long);
  'timeoutMs'?: (number | string | Long);
  'successBeforePassing'?: (number);
  'failuresBeforeCritical'?: (number);
  'method'?: (string);
  'headers'?: ({[key: string]: string});
  'args'?: (string)[];
  'deregisterCriticalServiceAfterMs'?: (number | string | Long);
}

export interface CheckDefinition__Output {
  'id': (string);
  'name': (string);
  'http': (string);
  'tcp': (string);
  'grpc': (string);
  'ttlMs': (number);
  'intervalMs': (number);
  'timeoutMs': (number);
  'successBeforePassing': (number);
  'failuresBeforeCritical': (number);
  'method': (string);
  'headers': ({[key: string]: string});
  'args': (string)[];
  'deregisterCriticalServiceAfterMs': (number);
}
