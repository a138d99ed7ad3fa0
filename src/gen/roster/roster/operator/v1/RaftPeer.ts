// Original file: proto/roster/operator.proto

import type { Long } from '@grpc/proto-loader';

export interface RaftPeer {
  'name'?: (string);
  'memberId'?: (string);
  'peerAddr'?: (string);
  'clientAddr'?: (string);
  'membership'?: (string);
  'leader'?: (boolean);
  'matchIndex'?: (number | string | Long);
  'lastContactMs'?: (number | string | Long);
  'replication'?: (string);
  'snapshotFailures'?: (number);
  'lastSnapshotError'?: (string);
  'lastSnapshotFailureMs'?: (number | string | Long);
}

export interface RaftPeer__Output {
  'name': (string);
  'memberId': (string);
  'peerAddr': (string);
  'clientAddr': (string);
  'membership': (string);
  'leader': (boolean);
  'matchIndex': (number);
  'lastContactMs': (number);
  'replication': (string);
  'snapshotFailures': (number);
  'lastSnapshotError': (string);
  'lastSnapshotFailureMs': (number);
}
