import type { RaftPeerRow } from '../api/server-interfaces.js';
import type { RaftStatus } from '../raft/index.js';
import type { NodeId } from '../util/ids.js';
import { memberIdOf } from './identity.js';

/** One member as `roster operator raft list-peers` shows it: the API's row, its membership named. */
export interface RaftPeerInfo extends RaftPeerRow {
  readonly membership: 'voter' | 'learner' | 'leaving';
}

/** What listing the peers needs of its server. */
export interface RaftPeersView {
  readonly self: NodeId;
  readonly selfPeerAddr: string;
  readonly status: RaftStatus;
  /** The monotonic time now, and when this server last heard from each peer on it. */
  readonly now: number;
  readonly lastHeard: ReadonlyMap<string, number>;
  peerAddrOf(id: NodeId): string | undefined;
  clientAddrOf(id: NodeId): string | undefined;
  snapshotFailures(id: NodeId): { readonly failures: number; readonly lastError: string } | undefined;
  msSinceSnapshotFailure(id: NodeId): number;
}

/** Every member with its Raft state as this server sees it (complete on the leader). */
export function raftPeerInfos(v: RaftPeersView): RaftPeerInfo[] {
  const st = v.status;
  const byId = new Map(st.peers.map((p) => [p.id as string, p]));
  const names = [...new Set<string>([...st.conf.voters, ...st.conf.learners, ...st.peers.map((p) => p.id)])].sort();
  return names.map((name) => {
    const id = name as NodeId;
    const pr = byId.get(name);
    const heard = v.lastHeard.get(name);
    const self = id === v.self;
    const failure = self ? undefined : v.snapshotFailures(id);
    return {
      name,
      memberId: memberIdOf(name),
      peerAddr: self ? v.selfPeerAddr : (v.peerAddrOf(id) ?? ''),
      clientAddr: v.clientAddrOf(id) ?? '',
      membership: pr?.membership ?? (st.conf.voters.includes(id) ? 'voter' : 'learner'),
      leader: st.leader === id,
      matchIndex: self && st.role === 'leader' ? st.lastIndex : (pr?.match ?? 0),
      lastContactMs: self ? 0 : heard === undefined ? -1 : Math.round(v.now - heard),
      replication: self ? '' : (pr?.state ?? ''),
      snapshotFailures: failure?.failures ?? 0,
      lastSnapshotError: failure?.lastError ?? '',
      lastSnapshotFailureMs: v.msSinceSnapshotFailure(id),
    };
  });
}
