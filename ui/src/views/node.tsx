import type { UiCheck } from '../consul-types';
import { useLive } from '../api';
import { LiveState, MetaList, Table, Tags } from '../parts';
import { hrefOf } from '../route';
import { Checks } from './service';

interface NodeServices {
  readonly Node: { Node: string; Address: string; Datacenter: string; Meta: Record<string, string> };
  readonly Services: { ID: string; Service: string; Tags: string[]; Address: string; Port: number }[];
}

/** One node: its address, meta, checks and services (Consul's node-services and health/node). */
export function NodeView({ name, token }: { name: string; token: string }) {
  const path = encodeURIComponent(name);
  const node = useLive<NodeServices | null>(`/v1/catalog/node-services/${path}`, token);
  const checks = useLive<UiCheck[]>(`/v1/health/node/${path}`, token);
  const n = node.data;
  return (
    <section aria-labelledby="node-title">
      <p>
        <a href={hrefOf('nodes')}>Nodes</a> /
      </p>
      <h1 id="node-title">{name}</h1>
      <LiveState live={node} what={`node ${name}`} />
      {node.data === null && <p class="banner banner-stale">No node {name} in the catalog.</p>}
      {n !== undefined && n !== null && (
        <>
          <dl class="facts">
            <div>
              <dt>Address</dt>
              <dd>{n.Node.Address}</dd>
            </div>
            <div>
              <dt>Datacenter</dt>
              <dd>{n.Node.Datacenter}</dd>
            </div>
            <div>
              <dt>Meta</dt>
              <dd>
                <MetaList meta={n.Node.Meta} />
              </dd>
            </div>
          </dl>
          <h2>Checks</h2>
          <Checks checks={checks.data ?? []} />
          <Table caption={`${n.Services.length} services`} head={['Instance', 'Service', 'Address', 'Tags']}>
            {n.Services.map((s) => (
              <tr key={s.ID}>
                <td>{s.ID}</td>
                <td>
                  <a href={hrefOf('services', s.Service)}>{s.Service}</a>
                </td>
                <td>
                  {s.Address === '' ? n.Node.Address : s.Address}:{s.Port}
                </td>
                <td>
                  <Tags tags={s.Tags} />
                </td>
              </tr>
            ))}
          </Table>
        </>
      )}
    </section>
  );
}
