// Original file: proto/roster/registry.proto

export const Consistency = {
  CONSISTENT: 'CONSISTENT',
  STALE: 'STALE',
} as const;

export type Consistency =
  | 'CONSISTENT'
  | 0
  | 'STALE'
  | 1

export type Consistency__Output = typeof Consistency[keyof typeof Consistency]
