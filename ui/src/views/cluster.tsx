import { useRef } from 'preact/hooks';
import type { UiCluster, UiLocalFigures } from '../../../src/agent/http/consul-ui-shapes';
import { usePolled } from '../api';
import { LiveState, Table } from '../parts';
import { GossipStatus } from './nodes';

/** How often the cluster's figures are read again: match indexes and last contact move all the time, with no event to wait for. */
const CLUSTER_EVERY_MS = 1000;

const contact = (ms: number, leader: boolean): string => (leader ? 'leader' : ms < 0 ? 'never' : `${ms} ms ago`);

/** Calls per second between two reads of the agent's counters (undefined until there are two). */
function useRates(f: UiLocalFigures | undefined): { calls?: number; errors?: number } {
  const last = useRef<UiLocalFigures | undefined>(undefined);
  const rates = useRef<{ calls?: number; errors?: number }>({});
  if (f !== undefined && f !== last.current) {
    const p = last.current;
    if (p !== undefined && f.At > p.At && f.Requests >= p.Requests) {
      const s = (f.At - p.At) / 1000;
      rates.current = { calls: (f.Requests - p.Requests) / s, errors: (f.RequestErrors - p.RequestErrors) / s };
    }
    last.current = f;
  }
  return rates.current;
}

/** The serving agent's own figures: Raft progress when it is a server, calls served, memory. */
function LocalFigures({ f, rates }: { f: UiLocalFigures; rates: { calls?: number; errors?: number } }) {
  const lag = f.CommitIndex !== undefined && f.AppliedIndex !== undefined ? f.CommitIndex - f.AppliedIndex : undefined;
  const health = !f.Server ? 'client agent' : f.HasLeader === false ? 'no leader' : lag !== undefined && lag > 1000 ? 'applying far behind' : 'ok';
  return (
    <section aria-labelledby="local-title">
      <h2 id="local-title">This agent: {f.Node}</h2>
      <dl class="facts" data-testid="local">
        <div>
          <dt>Health</dt>
          <dd>
            <span class={`status status-${health === 'ok' || health === 'client agent' ? 'passing' : 'critical'}`}>{health}</span>
          </dd>
        </div>
        {f.Server && (
          <>
            <div>
              <dt>Applied index</dt>
              <dd>{f.AppliedIndex}</dd>
            </div>
            <div>
              <dt>Apply lag</dt>
              <dd>{lag} entries</dd>
            </div>
            <div>
              <dt>Leader changes seen</dt>
              <dd>{f.LeaderChanges}</dd>
            </div>
          </>
        )}
        {/* The gRPC API's calls are a server's (a client agent forwards them). */}
        {f.Server && (
          <>
            <div>
              <dt>API calls</dt>
              <dd>
                {f.Requests}
                {rates.calls !== undefined && ` (${rates.calls.toFixed(1)}/s)`}
              </dd>
            </div>
            <div>
              <dt>Failed calls</dt>
              <dd>
                {f.RequestErrors}
                {rates.errors !== undefined && ` (${rates.errors.toFixed(1)}/s)`}
              </dd>
            </div>
          </>
        )}
        <div>
          <dt>Memory (RSS)</dt>
          <dd>{(f.ResidentBytes / 1048576).toFixed(0)} MiB</dd>
        </div>
      </dl>
    </section>
  );
}

export function ClusterView({ token }: { token: string }) {
  const live = usePolled<UiCluster>('/v1/internal/ui/cluster', token, CLUSTER_EVERY_MS);
  const c = live.data;
  const leader = c?.Peers.find((p) => p.Leader);
  const rates = useRates(c?.Local);
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
          {c.Local !== undefined && <LocalFigures f={c.Local} rates={rates} />}
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
