import type { UiCluster } from '../../../src/agent/http/consul-ui-shapes';
import { usePolled } from '../api';
import { LiveState, Table } from '../parts';
import { GossipStatus } from './nodes';

/** How often the cluster's figures are read again: match indexes and last contact move all the time, with no event to wait for. */
const CLUSTER_EVERY_MS = 1000;

const contact = (ms: number, leader: boolean): string => (leader ? 'leader' : ms < 0 ? 'never' : `${ms} ms ago`);

export function ClusterView({ token }: { token: string }) {
  const live = usePolled<UiCluster>('/v1/internal/ui/cluster', token, CLUSTER_EVERY_MS);
  const c = live.data;
  const leader = c?.Peers.find((p) => p.Leader);
  return (
    <section aria-labelledby="cluster-title">
      <h1 id="cluster-title">Cluster</h1>
      <LiveState live={live} what="the cluster" />
      {c !== undefined && (
        <>
          <dl class="facts">
            <div>
              <dt>Leader</dt>
              <dd data-testid="leader">{leader?.Name ?? <span class="status status-critical">none</span>}</dd>
            </div>
            <div>
              <dt>Term</dt>
              <dd>{c.Term}</dd>
            </div>
            <div>
              <dt>Commit index</dt>
              <dd>{c.CommitIndex}</dd>
            </div>
            <div>
              <dt>Last index</dt>
              <dd>{c.LastIndex}</dd>
            </div>
          </dl>
          <Table caption="Raft peers" head={['Server', 'Role', 'Membership', 'Match index', 'Behind', 'Last contact', 'Replication', 'Address']}>
            {c.Peers.map((p) => (
              <tr key={p.ID} data-peer={p.Name}>
                <td>{p.Name === '' ? <span class="muted">(not started)</span> : p.Name}</td>
                <td>{p.Leader ? 'leader' : 'follower'}</td>
                <td>{p.Membership}</td>
                <td>{p.MatchIndex}</td>
                <td>{p.Leader ? 0 : Math.max(0, c.LastIndex - p.MatchIndex)}</td>
                <td>{contact(p.LastContactMs, p.Leader)}</td>
                <td>{p.Replication}</td>
                <td>{p.PeerAddress}</td>
              </tr>
            ))}
          </Table>
          <Table caption="Gossip pool" head={['Member', 'Status', 'Role', 'Address', 'Incarnation', 'Datacenter', 'Version']}>
            {c.Members.map((m) => (
              <tr key={m.Name} data-member={m.Name}>
                <td>{m.Name}</td>
                <td>
                  <GossipStatus status={m.Status} />
                </td>
                <td>{m.Role}</td>
                <td>{m.Address}</td>
                <td>{m.Incarnation}</td>
                <td>{m.Datacenter}</td>
                <td>{m.Version}</td>
              </tr>
            ))}
          </Table>
        </>
      )}
    </section>
  );
}
