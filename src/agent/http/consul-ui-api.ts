import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Check__Output } from '../../gen/registry/roster/registry/v1/Check.js';
import type { QueryMeta__Output } from '../../gen/registry/roster/registry/v1/QueryMeta.js';
import { operatorProto } from '../../proto/operator-proto.js';
import { registryProto } from '../../proto/registry-proto.js';
import { blockingRegistryReadOf } from './blocking.js';
import { optionsOf, sendMeta } from './consul-catalog.js';
import { checkDatacenter, queryOf, sendJson, tokenMetadata } from './consul-request.js';
import type { ServerCalls } from './server-calls.js';
import type { UiCluster, UiLocalFigures, UiNodeSummary, UiServiceSummary } from './consul-ui-shapes.js';
import type { LocalFigures } from '../metrics/local-figures.js';

/** Check counts by status, as the UI's summaries show them. */
interface CheckCounts {
  ChecksPassing: number;
  ChecksWarning: number;
  ChecksCritical: number;
}

const noChecks = (): CheckCounts => ({ ChecksPassing: 0, ChecksWarning: 0, ChecksCritical: 0 });

function count(into: CheckCounts, c: Check__Output): void {
  if (c.status === 'PASSING') into.ChecksPassing++;
  else if (c.status === 'WARNING') into.ChecksWarning++;
  else into.ChecksCritical++;
}

/** The newer of two answers' metadata (a summary made of two reads blocks on both). */
function newestMeta(a: QueryMeta__Output | null, b: QueryMeta__Output | null): QueryMeta__Output | null {
  if (a === null) return b;
  if (b === null) return a;
  const ia = BigInt(a.index === '' ? a.revision : a.index);
  const ib = BigInt(b.index === '' ? b.revision : b.index);
  const newer = ia >= ib ? a : b;
  // Either read cut off from a leader makes the whole answer stale.
  return { ...newer, knownLeader: a.knownLeader !== '' && b.knownLeader !== '' ? newer.knownLeader : '', stale: a.stale || b.stale };
}


/** The serving agent's gossip member, as the node list reads it. */
export interface UiGossip {
  /** The pool as this member sees it now (state "dead" is gossip's word for failed). */
  members(): readonly { readonly name: string; readonly state: string; readonly meta: { readonly role: string } }[];
  /** Calls `cb` when a member's state changes; returns how to stop. */
  onMemberChange(cb: () => void): () => void;
}

/** What the summaries know of the agent serving them. */
export interface UiLocal {
  readonly node: string;
  readonly gossip?: UiGossip;
  /** The agent's own figures from its metrics. */
  readonly figures?: () => Promise<LocalFigures>;
}

/**
 * The summaries the web UI lists (as Consul's own UI has /v1/internal/ui/*): each is a few
 * registry reads joined here, with the caller's token, blocking (?index) on the registry watches
 * of every read it joins. Roster's own shapes; Consul's UI is not served.
 */
export function addUiApiRoutes(app: FastifyInstance, servers: ServerCalls, datacenter: string, local: UiLocal): void {
  const R = registryProto().roster.registry.v1;
  const Operator = operatorProto().roster.operator.v1.Operator;

  const allChecks = (req: FastifyRequest) => servers.unary(R.Health, 'Checks', { state: 'HEALTH_UNSPECIFIED', service: '', options: optionsOf(queryOf(req)) }, tokenMetadata(req));
  const anyCheck = { checks: { state: 'HEALTH_UNSPECIFIED' as const, service: '' } };

  // Every service: its tags, instance count, instances passing and its checks by status.
  app.get('/v1/internal/ui/services', async (req, reply) => {
    const q = queryOf(req);
    checkDatacenter(q, datacenter);
    const { services, checks } = await blockingRegistryReadOf(req, servers, [{ services: {} }, anyCheck], async () => {
      const [s, c] = await Promise.all([servers.unary(R.Catalog, 'ListServices', { options: optionsOf(q), nodeMeta: {} }, tokenMetadata(req)), allChecks(req)]);
      return { services: s, checks: c };
    });
    sendMeta(reply, newestMeta(services.meta, checks.meta));
    const byService = new Map<string, CheckCounts>();
    for (const c of checks.checks) {
      if (c.serviceName === '') continue;
      const counts = byService.get(c.serviceName) ?? noChecks();
      count(counts, c);
      byService.set(c.serviceName, counts);
    }
    return sendJson(
      reply,
      services.services.map((s): UiServiceSummary => ({ Name: s.name, Tags: s.tags, InstanceCount: s.instances, InstancesPassing: s.passing, ...(byService.get(s.name) ?? noChecks()), ModifyIndex: Number(s.modifyIndex) })),
    );
  });

  // Every node: address, datacenter, meta, its checks (node and services) by status, and its
  // gossip status as this agent's own member sees it ("none" for a node no agent runs on). Only
  // nodes the caller may read are listed (ListNodes with its token), as Consul's members are
  // filtered by node:read; without a gossip view here, the servers' (operator:read).
  app.get('/v1/internal/ui/nodes', async (req, reply) => {
    const q = queryOf(req);
    checkDatacenter(q, datacenter);
    const md = tokenMetadata(req);
    const { nodes, checks } = await blockingRegistryReadOf(req, servers, [{ nodes: {} }, anyCheck], async () => {
      const [n, c] = await Promise.all([servers.unary(R.Catalog, 'ListNodes', { options: optionsOf(q), nodeMeta: {} }, md), allChecks(req)]);
      return { nodes: n, checks: c };
    }, local.gossip === undefined ? undefined : (wake) => local.gossip!.onMemberChange(wake));
    const members =
      (local.gossip === undefined ? undefined : new Map(local.gossip.members().map((m) => [m.name, { status: m.state === 'dead' ? 'failed' : m.state, role: m.meta.role }]))) ??
      (await servers.unary(Operator, 'Members', {}, md).then(
        (r) => new Map(r.members.map((m) => [m.name, { status: m.status, role: m.role }])),
        () => undefined,
      ));
    sendMeta(reply, newestMeta(nodes.meta, checks.meta));
    const byNode = new Map<string, CheckCounts>();
    for (const c of checks.checks) {
      const counts = byNode.get(c.node) ?? noChecks();
      count(counts, c);
      byNode.set(c.node, counts);
    }
    return sendJson(
      reply,
      nodes.nodes.map((n): UiNodeSummary => {
        const counts = byNode.get(n.name);
        const m = members?.get(n.name);
        return {
          Node: n.name,
          Address: n.address,
          Datacenter: n.datacenter === '' ? datacenter : n.datacenter,
          Meta: n.meta,
          Source: n.source,
          GossipStatus: members === undefined ? 'unknown' : (m?.status ?? 'none'),
          Role: m?.role ?? '',
          ChecksPassing: counts?.ChecksPassing ?? 0,
          ChecksWarning: counts?.ChecksWarning ?? 0,
          ChecksCritical: counts?.ChecksCritical ?? 0,
          ModifyIndex: Number(n.modifyRevision),
        };
      }),
    );
  });

  // The cluster as the servers see it: Raft peers (leader, voter or learner, match index, last
  // contact), term and indexes, and the gossip pool; and this agent's own figures from its
  // metrics, told only to a caller whose token read the rest (operator:read, more than Consul's
  // agent:read for /v1/agent/metrics). Not blocking: the UI refreshes it itself.
  app.get('/v1/internal/ui/cluster', async (req, reply) => {
    checkDatacenter(queryOf(req), datacenter);
    const md = tokenMetadata(req);
    const [raft, members] = await Promise.all([servers.unary(Operator, 'RaftPeers', {}, md), servers.unary(Operator, 'Members', {}, md)]);
    const body: UiCluster = {
      Term: Number(raft.term),
      CommitIndex: Number(raft.commitIndex),
      LastIndex: Number(raft.lastIndex),
      Peers: raft.peers.map((p) => ({ Name: p.name, ID: p.memberId, PeerAddress: p.peerAddr, ClientAddress: p.clientAddr, Membership: p.membership, Leader: p.leader, MatchIndex: Number(p.matchIndex), LastContactMs: Number(p.lastContactMs), Replication: p.replication })),
      Members: members.members.map((m) => ({ Name: m.name, Address: m.addr, Status: m.status, Role: m.role, Incarnation: Number(m.incarnation), Datacenter: m.datacenter, Version: m.version })),
      ...(local.figures === undefined ? {} : { Local: uiFiguresOf(local.node, await local.figures()) }),
    };
    return sendJson(reply, body);
  });
}

function uiFiguresOf(node: string, f: LocalFigures): UiLocalFigures {
  return {
    Node: node,
    Server: f.commitIndex !== undefined,
    ...(f.commitIndex === undefined ? {} : { CommitIndex: f.commitIndex }),
    ...(f.appliedIndex === undefined ? {} : { AppliedIndex: f.appliedIndex }),
    ...(f.hasLeader === undefined ? {} : { HasLeader: f.hasLeader }),
    ...(f.leaderChanges === undefined ? {} : { LeaderChanges: f.leaderChanges }),
    Requests: f.requests,
    RequestErrors: f.requestErrors,
    ResidentBytes: f.residentBytes,
    At: Date.now(),
  };
}
