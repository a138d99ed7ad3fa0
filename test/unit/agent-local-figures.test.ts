import { Counter, Gauge, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { localFiguresOf } from '../../src/agent/metrics/local-figures.js';

describe("the web UI's figures of the serving agent", () => {
  it('reads Raft progress, calls served and failed (any code but 0) and memory from the registry /metrics answers from', async () => {
    const r = new Registry();
    const calls = new Counter({ name: 'roster_api_requests_total', help: 'h', labelNames: ['method', 'code'], registers: [r] });
    calls.labels('etcdserverpb.KV/Put', '0').inc(7);
    calls.labels('etcdserverpb.KV/Put', '14').inc(2);
    calls.labels('etcdserverpb.KV/Range', '0').inc(1);
    for (const [name, v] of [['roster_raft_commit_index', 42], ['roster_raft_applied_index', 40], ['roster_raft_has_leader', 1], ['roster_process_resident_memory_bytes', 123_456]] as const) new Gauge({ name, help: 'h', registers: [r] }).set(v);
    new Counter({ name: 'roster_raft_leader_changes_total', help: 'h', registers: [r] }).inc(3);
    expect(await localFiguresOf(r)).toEqual({ commitIndex: 42, appliedIndex: 40, hasLeader: true, leaderChanges: 3, requests: 10, requestErrors: 2, residentBytes: 123_456 });
  });

  it('has no Raft figures on a client agent', async () => {
    const r = new Registry();
    new Counter({ name: 'roster_raft_leader_changes_total', help: 'h', registers: [r] });
    expect(await localFiguresOf(r)).toEqual({ requests: 0, requestErrors: 0, residentBytes: 0 });
  });
});
