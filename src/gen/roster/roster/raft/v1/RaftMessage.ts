// Original file: proto/roster/raft.proto

import type { Entry as _roster_raft_v1_Entry, Entry__Output as _roster_raft_v1_Entry__Output } from '../../../roster/raft/v1/Entry.js';
import type { Long } from '@grpc/proto-loader';

// Original file: proto/roster/raft.proto

export const _roster_raft_v1_RaftMessage_Type = {
  APP: 'APP',
  APP_RESP: 'APP_RESP',
  HEARTBEAT: 'HEARTBEAT',
  HEARTBEAT_RESP: 'HEARTBEAT_RESP',
  VOTE: 'VOTE',
  PRE_VOTE: 'PRE_VOTE',
  VOTE_RESP: 'VOTE_RESP',
  PRE_VOTE_RESP: 'PRE_VOTE_RESP',
  TIMEOUT_NOW: 'TIMEOUT_NOW',
  READ_INDEX: 'READ_INDEX',
  READ_INDEX_RESP: 'READ_INDEX_RESP',
  PROPOSE: 'PROPOSE',
  PROPOSE_REJECT: 'PROPOSE_REJECT',
  PROPOSE_ACCEPT: 'PROPOSE_ACCEPT',
} as const;

export type _roster_raft_v1_RaftMessage_Type =
  | 'APP'
  | 0
  | 'APP_RESP'
  | 1
  | 'HEARTBEAT'
  | 2
  | 'HEARTBEAT_RESP'
  | 3
  | 'VOTE'
  | 4
  | 'PRE_VOTE'
  | 5
  | 'VOTE_RESP'
  | 6
  | 'PRE_VOTE_RESP'
  | 7
  | 'TIMEOUT_NOW'
  | 8
  | 'READ_INDEX'
  | 9
  | 'READ_INDEX_RESP'
  | 10
  | 'PROPOSE'
  | 11
  | 'PROPOSE_REJECT'
  | 12
  | 'PROPOSE_ACCEPT'
  | 13

export type _roster_raft_v1_RaftMessage_Type__Output = typeof _roster_raft_v1_RaftMessage_Type[keyof typeof _roster_raft_v1_RaftMessage_Type]

export interface RaftMessage {
  'type'?: (_roster_raft_v1_RaftMessage_Type);
  'from'?: (string);
  'to'?: (string);
  'term'?: (number | string | Long);
  'index'?: (number | string | Long);
  'logTerm'?: (number | string | Long);
  'entries'?: (_roster_raft_v1_Entry)[];
  'commit'?: (number | string | Long);
  'reject'?: (boolean);
  'hintIndex'?: (number | string | Long);
  'hintTerm'?: (number | string | Long);
  'readSeq'?: (number | string | Long);
  'transfer'?: (boolean);
  'requestId'?: (number | string | Long);
  'leaderHint'?: (string);
}

export interface RaftMessage__Output {
  'type': (_roster_raft_v1_RaftMessage_Type__Output);
  'from': (string);
  'to': (string);
  'term': (number);
  'index': (number);
  'logTerm': (number);
  'entries': (_roster_raft_v1_Entry__Output)[];
  'commit': (number);
  'reject': (boolean);
  'hintIndex': (number);
  'hintTerm': (number);
  'readSeq': (number);
  'transfer': (boolean);
  'requestId': (number);
  'leaderHint': (string);
}
