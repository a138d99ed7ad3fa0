// Original file: proto/roster/registry.proto

import type { Weights as _roster_registry_v1_Weights, Weights__Output as _roster_registry_v1_Weights__Output } from '../../../roster/registry/v1/Weights.js';
import type { Long } from '@grpc/proto-loader';

export interface Service {
  'id'?: (string);
  'name'?: (string);
  'tags'?: (string)[];
  'address'?: (string);
  'port'?: (number);
  'meta'?: ({[key: string]: string});
  'weights'?: (_roster_registry_v1_Weights | null);
  'node'?: (string);
  'createRevision'?: (number | string | Long);
  'modifyRevision'?: (number | string | Long);
  'lease'?: (number | string | Long);
}

export interface Service__Output {
  'id': (string);
  'name': (string);
  'tags': (string)[];
  'address': (string);
  'port': (number);
  'meta': ({[key: string]: string});
  'weights': (_roster_registry_v1_Weights__Output | null);
  'node': (string);
  'createRevision': (string);
  'modifyRevision': (string);
  'lease': (string);
}
