/**
 * The JSON the web UI's summaries answer (consul-ui-api.ts), shared with the UI (ui/src): the
 * page is compiled against the same declarations the agent writes.
 */

export interface UiServiceSummary {
  readonly Name: string;
  readonly Tags: readonly string[];
  readonly InstanceCount: number;
  /** Instances whose every check (their own and their node's) passes. */
  readonly InstancesPassing: number;
  readonly ChecksPassing: number;
  readonly ChecksWarning: number;
  readonly ChecksCritical: number;
  readonly ModifyIndex: number;
}

export interface UiNodeSummary {
  readonly Node: string;
  readonly Address: string;
  readonly Datacenter: string;
  readonly Meta: Readonly<Record<string, string>>;
  /** Why it is in the catalog: "agent", "registration" or "catalog". */
  readonly Source: string;
  /** As gossip sees it: alive, suspect, failed, left; "none" without an agent; "unknown" without operator:read. */
  readonly GossipStatus: string;
  /** "server" or "client" for a gossip member; "" otherwise. */
  readonly Role: string;
  readonly ChecksPassing: number;
  readonly ChecksWarning: number;
  readonly ChecksCritical: number;
  readonly ModifyIndex: number;
}

export interface UiRaftPeer {
  readonly Name: string;
  readonly ID: string;
  readonly PeerAddress: string;
  readonly ClientAddress: string;
  /** "voter", "learner" or "leaving". */
  readonly Membership: string;
  readonly Leader: boolean;
  readonly MatchIndex: number;
  /** Milliseconds since the leader heard from it; -1 never; 0 for the leader. */
  readonly LastContactMs: number;
  readonly Replication: string;
}

export interface UiGossipMember {
  readonly Name: string;
  readonly Address: string;
  readonly Status: string;
  readonly Role: string;
  readonly Incarnation: number;
  readonly Datacenter: string;
  readonly Version: string;
}

export interface UiCluster {
  readonly Term: number;
  readonly CommitIndex: number;
  readonly LastIndex: number;
  readonly Peers: readonly UiRaftPeer[];
  readonly Members: readonly UiGossipMember[];
  /** The serving agent's figures; absent when it keeps no metrics. */
  readonly Local?: UiLocalFigures;
}

/** The serving agent's own figures, from its metrics (the UI works out rates from two reads). */
export interface UiLocalFigures {
  readonly Node: string;
  /** Whether this agent runs a server (the Raft figures below are its own). */
  readonly Server: boolean;
  readonly CommitIndex?: number;
  readonly AppliedIndex?: number;
  readonly HasLeader?: boolean;
  readonly LeaderChanges?: number;
  /** gRPC API calls served since start, and those that failed (any code but OK). */
  readonly Requests: number;
  readonly RequestErrors: number;
  readonly ResidentBytes: number;
  /** When the figures were read (ms since the epoch, the agent's clock). */
  readonly At: number;
}
