// Original file: proto/roster/registry.proto

export const HealthStatus = {
  HEALTH_UNSPECIFIED: 'HEALTH_UNSPECIFIED',
  PASSING: 'PASSING',
  WARNING: 'WARNING',
  CRITICAL: 'CRITICAL',
} as const;

export type HealthStatus =
  | 'HEALTH_UNSPECIFIED'
  | 0
  | 'PASSING'
  | 1
  | 'WARNING'
  | 2
  | 'CRITICAL'
  | 3

export type HealthStatus__Output = typeof HealthStatus[keyof typeof HealthStatus]
