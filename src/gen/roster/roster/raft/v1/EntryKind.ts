// Original file: proto/roster/raft.proto

export const EntryKind = {
  NORMAL: 'NORMAL',
  CONF: 'CONF',
} as const;

export type EntryKind =
  | 'NORMAL'
  | 0
  | 'CONF'
  | 1

export type EntryKind__Output = typeof EntryKind[keyof typeof EntryKind]
