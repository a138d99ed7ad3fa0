import type { Registry } from 'prom-client';

/** What the web UI's cluster view shows of the agent serving it, read from its metrics. */
export interface LocalFigures {
  readonly commitIndex?: number;
  readonly appliedIndex?: number;
  readonly hasLeader?: boolean;
  readonly leaderChanges?: number;
  readonly requests: number;
  readonly requestErrors: number;
  readonly residentBytes: number;
}

/**
 * The few figures of /metrics an operator looks at first (Raft progress, calls served and
 * failed, memory), from the same registry /metrics answers from, so the two never disagree.
 */
export async function localFiguresOf(registry: Registry): Promise<LocalFigures> {
  const all = await registry.getMetricsAsJSON();
  const values = (name: string) => all.find((m) => m.name === name)?.values ?? [];
  const one = (name: string): number | undefined => {
    const v = values(name)[0]?.value;
    return typeof v === 'number' ? v : undefined;
  };
  let requests = 0;
  let requestErrors = 0;
  for (const v of values('roster_api_requests_total')) {
    requests += v.value;
    // gRPC status codes by number: 0 is OK.
    if (String(v.labels.code) !== '0') requestErrors += v.value;
  }
  const commitIndex = one('roster_raft_commit_index');
  const appliedIndex = one('roster_raft_applied_index');
  const hasLeader = one('roster_raft_has_leader');
  const leaderChanges = one('roster_raft_leader_changes_total');
  return {
    ...(commitIndex === undefined ? {} : { commitIndex }),
    ...(appliedIndex === undefined ? {} : { appliedIndex }),
    ...(hasLeader === undefined ? {} : { hasLeader: hasLeader === 1 }),
    ...(leaderChanges === undefined || commitIndex === undefined ? {} : { leaderChanges }),
    requests,
    requestErrors,
    residentBytes: one('roster_process_resident_memory_bytes') ?? 0,
  };
}
