// Original file: proto/roster/registry.proto

import type { Long } from '@grpc/proto-loader';

export interface Node {
  'name'?: (string);
  'address'?: (string);
  'datacenter'?: (string);
  'meta'?: ({[key: string]: string});
  'createRevision'?: (number | string | Long);
  'modifyRevision'?: (number | string | Long);
  'source'?: (string);
}

export interface Node__Output {
  'name': (string);
  'address': (string);
  'datacenter': (string);
  'meta': ({[key: string]: string});
  'createRevision': (string);
  'modifyRevision': (string);
  'source': (string);
}
