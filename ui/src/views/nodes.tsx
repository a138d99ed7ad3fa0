import { useState } from 'preact/hooks';
import type { UiNodeSummary } from '../../../src/agent/http/consul-ui-shapes';
import { useLive } from '../api';
import { Filter, HealthCounts, LiveState, Status, Table } from '../parts';
import { hrefOf } from '../route';

/** Gossip's words for a member, as the status colours know them. */
const GOSSIP_LOOK: Readonly<Record<string, string>> = { alive: 'passing', suspect: 'warning', failed: 'critical', left: 'left', none: 'none', unknown: 'none' };

export function GossipStatus({ status }: { status: string }) {
  return <span class={`status status-${GOSSIP_LOOK[status] ?? 'none'}`}>{status}</span>;
}

export function NodesView({ token }: { token: string }) {
  const live = useLive<UiNodeSummary[]>('/v1/internal/ui/nodes', token);
  const [text, setText] = useState('');
  const rows = (live.data ?? []).filter((n) => text === '' || n.Node.includes(text) || n.Address.includes(text));
  return (
    <section aria-labelledby="nodes-title">
      <h1 id="nodes-title">Nodes</h1>
      <LiveState live={live} what="nodes" />
      <div class="toolbar">
        <Filter label="Search by name or address" value={text} onInput={setText} />
      </div>
      {live.data !== undefined && (
        <Table caption={`${rows.length} of ${live.data?.length ?? 0} nodes`} head={['Node', 'Gossip', 'Role', 'Address', 'Datacenter', 'Source', 'Checks']}>
          {rows.map((n) => (
            <tr key={n.Node} data-node={n.Node}>
              <td>
                <a href={hrefOf('nodes', n.Node)}>{n.Node}</a>
              </td>
              <td>
                <GossipStatus status={n.GossipStatus} />
              </td>
              <td>{n.Role === '' ? <span class="muted">no agent</span> : n.Role}</td>
              <td>{n.Address}</td>
              <td>{n.Datacenter}</td>
              <td>{n.Source}</td>
              <td>
                <HealthCounts passing={n.ChecksPassing} warning={n.ChecksWarning} critical={n.ChecksCritical} />
              </td>
            </tr>
          ))}
        </Table>
      )}
      {rows.some((n) => n.ChecksCritical > 0) && (
        <p>
          Critical: <Status status="critical" />{' '}
          {rows
            .filter((n) => n.ChecksCritical > 0)
            .map((n) => n.Node)
            .join(', ')}
        </p>
      )}
    </section>
  );
}
