// Original file: proto/roster/registry.proto

export const SessionBehavior = {
  RELEASE: 'RELEASE',
  DELETE: 'DELETE',
} as const;

export type SessionBehavior =
  | 'RELEASE'
  | 0
  | 'DELETE'
  | 1

export type SessionBehavior__Output = typeof SessionBehavior[keyof typeof SessionBehavior]
