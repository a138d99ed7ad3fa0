import type { UiCheck } from '../consul-types';
import { useLive } from '../api';
import { LiveState, MetaList, Status, Table, Tags } from '../parts';
import { hrefOf } from '../route';

interface Entry {
  readonly Node: { Node: string; Address: string; Datacenter: string };
  readonly Service: { ID: string; Service: string; Tags: string[]; Address: string; Port: number; Meta: Record<string, string>; Weights: { Passing: number; Warning: number } };
  readonly Checks: UiCheck[];
}

const worstOf = (checks: readonly UiCheck[]): string => (checks.some((c) => c.Status === 'critical') ? 'critical' : checks.some((c) => c.Status === 'warning') ? 'warning' : 'passing');

/** One service's instances (Consul's /v1/health/service/:name), each with every check. */
export function ServiceView({ name, token }: { name: string; token: string }) {
  const live = useLive<Entry[]>(`/v1/health/service/${encodeURIComponent(name)}`, token);
  const rows = live.data ?? [];
  return (
    <section aria-labelledby="service-title">
      <p>
        <a href={hrefOf('services')}>Services</a> /
      </p>
      <h1 id="service-title">{name}</h1>
      <LiveState live={live} what={`the instances of ${name}`} />
      {live.data !== undefined && (
        <Table caption={`${rows.length} instances`} head={['Instance', 'Health', 'Address', 'Node', 'Tags', 'Meta', 'Weights', 'Checks']}>
          {rows.map((e) => (
            <tr key={`${e.Node.Node}/${e.Service.ID}`} data-instance={e.Service.ID}>
              <td>{e.Service.ID}</td>
              <td>
                <Status status={worstOf(e.Checks)} />
              </td>
              <td>
                {e.Service.Address === '' ? e.Node.Address : e.Service.Address}:{e.Service.Port}
              </td>
              <td>
                <a href={hrefOf('nodes', e.Node.Node)}>{e.Node.Node}</a>
              </td>
              <td>
                <Tags tags={e.Service.Tags} />
              </td>
              <td>
                <MetaList meta={e.Service.Meta} />
              </td>
              <td>
                {e.Service.Weights.Passing} / {e.Service.Weights.Warning}
              </td>
              <td>
                <Checks checks={e.Checks} />
              </td>
            </tr>
          ))}
        </Table>
      )}
    </section>
  );
}

export function Checks({ checks }: { checks: readonly UiCheck[] }) {
  if (checks.length === 0) return <span class="muted">no checks</span>;
  return (
    <ul class="checks">
      {checks.map((c) => (
        <li key={`${c.Node}/${c.CheckID}`} data-check={c.CheckID}>
          <Status status={c.Status} /> <strong>{c.Name === '' ? c.CheckID : c.Name}</strong>
          {c.Type !== '' && <span class="muted"> ({c.Type})</span>}
          {c.Output !== '' && <pre class="output">{c.Output}</pre>}
          {c.Notes !== '' && <p class="notes">{c.Notes}</p>}
        </li>
      ))}
    </ul>
  );
}
