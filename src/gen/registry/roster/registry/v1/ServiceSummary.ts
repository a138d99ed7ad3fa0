// Original file: proto/roster/registry.proto

import type { Long } from '@grpc/proto-loader';

export interface ServiceSummary {
  'name'?: (string);
  'tags'?: (string)[];
  'instances'?: (number);
  'passing'?: (number);
  'modifyIndex'?: (number | string | Long);
}

export interface ServiceSummary__Output {
  'name': (string);
  'tags': (string)[];
  'instances': (number);
  'passing': (number);
  'modifyIndex': (string);
}
