import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { MemberView } from '../../gossip/member-table.js';
import { droppedCounts } from '../../util/dropped.js';

/** What a server shows its metrics (read at scrape time). */
export interface ServerView {
  raft(): { term: number; commit: number; applied: number; isLeader: boolean; hasLeader: boolean; preserving: boolean; diskFailing?: boolean };
  gauges(): Record<string, number>;
  /** On the leader: entries each other member's log is behind the leader's (empty elsewhere). */
  followerLag(): ReadonlyMap<string, number>;
  limitRefusals(): Record<string, number>;
}

/** What any agent shows of its gossip (read at scrape time). */
export interface GossipView {
  members(): readonly MemberView[];
  readonly healthScore: number;
  readonly probeFailures: number;
  readonly joinAttempts: number;
  readonly joinPending: boolean;
  readonly drops: Readonly<Record<string, number>>;
}

/**
 * Prometheus metrics of one agent (prom-client): process memory and CPU (the defaults), Raft
 * (term, commit and apply index, leadership, leader changes, persist and fsync latency), gossip
 * (members by state, local health, dropped packets, join attempts and whether one is pending), the API (requests by method and code,
 * latencies) and open watches. Values that already live elsewhere are read when scraped.
 */
export class AgentMetrics {
  readonly registry = new Registry();
  private readonly leaderChanges: Counter;
  private readonly persistSynced: Histogram.Internal<string>;
  private readonly persistUnsynced: Histogram.Internal<string>;
  private readonly requests: Counter;
  private readonly latency: Histogram;
  private readonly snapshotsRefused: Counter;
  private readonly snapshotFailures: Counter;
  private readonly diskFaults: Counter;
  private readonly writeStages: Histogram;
  private readonly writeStageSeries = new Map<string, Histogram.Internal<string>>();
  private readonly requestSeries = new Map<string, { count: Counter.Internal; latency: Histogram.Internal<string> }>();

  constructor(server: ServerView | undefined, gossip: () => GossipView | undefined) {
    const r = this.registry;
    collectDefaultMetrics({ register: r, prefix: 'roster_' });
    this.leaderChanges = new Counter({ name: 'roster_raft_leader_changes_total', help: 'Times this server saw the leader change', registers: [r] });
    const persist = new Histogram({ name: 'roster_raft_persist_seconds', help: 'Raft log writes (with fsync when synced)', labelNames: ['synced'], buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1], registers: [r] });
    this.snapshotsRefused = new Counter({ name: 'roster_snapshot_verify_failures_total', help: 'Snapshot files this server wrote that did not verify and were not used, by purpose (send to a follower, save)', labelNames: ['purpose'], registers: [r] });
    this.snapshotFailures = new Counter({ name: 'roster_raft_snapshot_failures_total', help: 'InstallSnapshot attempts to a peer that failed (the leader backs off between them)', labelNames: ['peer'], registers: [r] });
    this.diskFaults = new Counter({ name: 'roster_disk_failures_total', help: 'Raft log writes that failed for a file system condition (EIO, ENOSPC, ...), by operation and code; each is retried', labelNames: ['op', 'code'], registers: [r] });
    this.persistSynced = persist.labels('true');
    this.persistUnsynced = persist.labels('false');
    this.writeStages = new Histogram({
      name: 'roster_put_stage_seconds',
      help: 'Where the time of a write proposed on this leader goes: queue (to the Raft loop), persist (its log write and fsync), replicate (to a quorum), apply, total',
      labelNames: ['stage'],
      buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.002, 0.004, 0.008, 0.016, 0.032, 0.064, 0.128, 0.5],
      registers: [r],
    });
    this.requests = new Counter({ name: 'roster_api_requests_total', help: 'gRPC API calls by method and status code', labelNames: ['method', 'code'], registers: [r] });
    this.latency = new Histogram({ name: 'roster_api_request_seconds', help: 'gRPC API call durations', labelNames: ['method'], buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5], registers: [r] });
    if (server !== undefined) {
      const raft = (name: string, help: string, pick: (v: ReturnType<ServerView['raft']>) => number): void => {
        new Gauge({ name, help, registers: [r], collect: function (this: Gauge) { this.set(pick(server.raft())); } });
      };
      raft('roster_raft_term', 'Current Raft term', (v) => v.term);
      raft('roster_raft_commit_index', 'Highest log index known committed', (v) => v.commit);
      raft('roster_raft_applied_index', 'Highest log index applied to the state', (v) => v.applied);
      raft('roster_raft_is_leader', '1 on the leader', (v) => (v.isLeader ? 1 : 0));
      raft('roster_raft_has_leader', '1 when this server knows a leader', (v) => (v.hasLeader ? 1 : 0));
      raft('roster_disk_failing', '1 while this server cannot write its Raft log (it refuses writes and retries)', (v) => (v.diskFailing === true ? 1 : 0));
      raft('roster_self_preservation_active', '1 while gossip shows a mass failure and the leader removes nothing for it', (v) => (v.preserving ? 1 : 0));
      new Counter({
        name: 'roster_api_limit_refusals_total',
        help: 'Requests refused by a configured limit, by the limit (its flag name)',
        labelNames: ['limit'],
        registers: [r],
        collect: function (this: Counter) {
          this.reset();
          for (const [limit, n] of Object.entries(server.limitRefusals())) this.inc({ limit }, n);
        },
      });
      new Gauge({
        name: 'roster_raft_follower_lag_entries',
        help: "On the leader: how many entries each member's log is behind the leader's",
        labelNames: ['peer'],
        registers: [r],
        collect: function (this: Gauge) {
          // Only current members (and only on the leader): a removed member's series goes.
          this.reset();
          for (const [peer, lag] of server.followerLag()) this.set({ peer }, lag);
        },
      });
      new Gauge({
        name: 'roster_api_open',
        help: 'Open watch streams, watchers and shared watch targets',
        labelNames: ['kind'],
        registers: [r],
        collect: function (this: Gauge) {
          this.reset();
          for (const [k, v] of Object.entries(server.gauges())) this.set({ kind: k }, v);
        },
      });
    }
    new Gauge({
      name: 'roster_gossip_members',
      help: 'Gossip members by state, as this agent sees them',
      labelNames: ['state'],
      registers: [r],
      collect: function (this: Gauge) {
        this.reset();
        const g = gossip();
        if (g === undefined) return;
        const by: Record<string, number> = { alive: 0, suspect: 0, dead: 0, left: 0 };
        for (const m of g.members()) by[m.state] = (by[m.state] ?? 0) + 1;
        for (const [state, n] of Object.entries(by)) this.set({ state }, n);
      },
    });
    new Counter({
      name: 'roster_gossip_probe_failures_total',
      help: 'Probes this member sent that got no ack, directly or through others',
      registers: [r],
      collect: function (this: Counter) {
        const g = gossip();
        if (g === undefined) return;
        this.reset();
        this.inc(g.probeFailures);
      },
    });
    new Counter({
      name: 'roster_gossip_join_attempts_total',
      help: 'Rounds of join requests sent to the --join seeds (the first and every retry)',
      registers: [r],
      collect: function (this: Counter) {
        const g = gossip();
        if (g === undefined) return;
        this.reset();
        this.inc(g.joinAttempts);
      },
    });
    new Gauge({ name: 'roster_gossip_join_pending', help: '1 while no push-pull with any --join seed has completed (the join is still retried)', registers: [r], collect: function (this: Gauge) { this.set(gossip()?.joinPending === true ? 1 : 0); } });
    new Gauge({ name: 'roster_gossip_health_score', help: "Lifeguard's local health score (0 is healthy)", registers: [r], collect: function (this: Gauge) { this.set(gossip()?.healthScore ?? 0); } });
    new Gauge({
      name: 'roster_gossip_dropped_packets',
      help: 'Gossip packets dropped, by reason',
      labelNames: ['reason'],
      registers: [r],
      collect: function (this: Gauge) {
        for (const [reason, n] of Object.entries(gossip()?.drops ?? {})) this.set({ reason }, n);
      },
    });
    new Counter({
      name: 'roster_dropped_total',
      help: 'Inputs dropped instead of failing on (each is logged too), by where and why',
      labelNames: ['site', 'reason'],
      registers: [r],
      collect: function (this: Counter) {
        this.reset();
        for (const c of droppedCounts()) this.inc({ site: c.site, reason: c.reason }, c.n);
      },
    });
  }

  /** Reports the agent's discovery cache: entries now, evictions and refusals so far. */
  reportDiscovery(d: { readonly size: number; readonly evictions: number; readonly refusals: number }): void {
    new Gauge({ name: 'roster_agent_cache_entries', help: "Distinct discovery queries in the agent's cache", registers: [this.registry], collect: function (this: Gauge) { this.set(d.size); } });
    const counter = (name: string, help: string, read: () => number): void => {
      new Counter({ name, help, registers: [this.registry], collect: function (this: Counter) { this.reset(); this.inc(read()); } });
    };
    counter('roster_agent_cache_evictions_total', 'Discovery queries evicted: unused for --cache-idle-ms, or to make room', () => d.evictions);
    counter('roster_agent_cache_refusals_total', 'Discovery queries refused: the cache was full of watched queries', () => d.refusals);
  }

  /** Shows how long this member's certificate is still valid (a reload shows the new one's). */
  reportTlsExpiry(secondsLeft: () => number | undefined): void {
    new Gauge({
      name: 'roster_tls_cert_expiry_seconds',
      help: "Seconds until this member's TLS certificate expires (negative once it has); warned about 30 days before",
      registers: [this.registry],
      collect: function (this: Gauge) {
        const left = secondsLeft();
        if (left !== undefined) this.set(left);
      },
    });
  }

  leaderChanged(): void {
    this.leaderChanges.inc();
  }

  snapshotRefused(purpose: 'send' | 'save'): void {
    this.snapshotsRefused.inc({ purpose });
  }

  snapshotFailed(peer: string): void {
    this.snapshotFailures.inc({ peer });
  }

  writeStage(stage: string, ms: number): void {
    let h = this.writeStageSeries.get(stage);
    if (h === undefined) this.writeStageSeries.set(stage, (h = this.writeStages.labels(stage)));
    h.observe(ms / 1000);
  }

  diskFault(op: string, code: string): void {
    this.diskFaults.inc({ op, code });
  }

  persisted(ms: number, synced: boolean): void {
    (synced ? this.persistSynced : this.persistUnsynced).observe(ms / 1000);
  }

  /** Counted on every API call: the labelled series are looked up once per method and code. */
  request(path: string, code: number, ms: number): void {
    const key = `${path}|${code}`;
    let c = this.requestSeries.get(key);
    if (c === undefined) {
      const method = path.startsWith('/') ? path.slice(1) : path;
      c = { count: this.requests.labels(method, String(code)), latency: this.latency.labels(method) };
      this.requestSeries.set(key, c);
    }
    c.count.inc();
    c.latency.observe(ms / 1000);
  }
}
