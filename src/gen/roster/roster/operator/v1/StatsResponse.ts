// Original file: proto/roster/operator.proto

import type { Long } from '@grpc/proto-loader';

export interface StatsResponse {
  'name'?: (string);
  'rssBytes'?: (number | string | Long);
  'heapUsedBytes'?: (number | string | Long);
  'heapTotalBytes'?: (number | string | Long);
  'externalBytes'?: (number | string | Long);
  'arrayBuffersBytes'?: (number | string | Long);
  'garbageCollected'?: (boolean);
  'gauges'?: ({[key: string]: number | string | Long});
}

export interface StatsResponse__Output {
  'name': (string);
  'rssBytes': (number);
  'heapUsedBytes': (number);
  'heapTotalBytes': (number);
  'externalBytes': (number);
  'arrayBuffersBytes': (number);
  'garbageCollected': (boolean);
  'gauges': ({[key: string]: number});
}
