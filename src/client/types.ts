/** What the SDK hands to applications: plain objects, numbers for revisions. */

export type HealthStatus = 'passing' | 'warning' | 'critical';

export interface Check {
  readonly id: string;
  readonly name: string;
  readonly serviceId: string;
  readonly status: HealthStatus;
  readonly output: string;
  readonly type: string;
}

export interface Instance {
  /** node/id: unique in the cluster. */
  readonly key: string;
  readonly id: string;
  readonly name: string;
  readonly node: string;
  /** Where to reach it: the service address, or the node's when the service has none. */
  readonly address: string;
  readonly port: number;
  readonly tags: readonly string[];
  readonly meta: Readonly<Record<string, string>>;
  readonly weights: { readonly passing: number; readonly warning: number };
  readonly status: HealthStatus;
  readonly checks: readonly Check[];
  readonly modifyRevision: number;
}
