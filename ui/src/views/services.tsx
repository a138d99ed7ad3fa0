import { useState } from 'preact/hooks';
import type { UiServiceSummary } from '../../../src/agent/http/consul-ui-shapes';
import { useLive } from '../api';
import { Filter, HealthCounts, LiveState, Table, Tags } from '../parts';
import { hrefOf } from '../route';

/** The worst of a service's checks, for the status filter. */
const worst = (s: UiServiceSummary): string => (s.ChecksCritical > 0 ? 'critical' : s.ChecksWarning > 0 ? 'warning' : 'passing');

export function ServicesView({ token }: { token: string }) {
  const live = useLive<UiServiceSummary[]>('/v1/internal/ui/services', token);
  const [text, setText] = useState('');
  const [status, setStatus] = useState('any');
  const rows = (live.data ?? []).filter((s) => (text === '' || s.Name.includes(text) || s.Tags.some((t) => t.includes(text))) && (status === 'any' || worst(s) === status));
  return (
    <section aria-labelledby="services-title">
      <h1 id="services-title">Services</h1>
      <LiveState live={live} what="services" />
      <div class="toolbar">
        <Filter label="Search by name or tag" value={text} onInput={setText} />
        <label class="filter">
          Health
          <select value={status} onChange={(e) => setStatus((e.target as HTMLSelectElement).value)}>
            <option value="any">any</option>
            <option value="critical">critical</option>
            <option value="warning">warning</option>
            <option value="passing">passing</option>
          </select>
        </label>
      </div>
      {live.data !== undefined && (
        <Table caption={`${rows.length} of ${live.data?.length ?? 0} services`} head={['Service', 'Instances', 'Checks', 'Tags']}>
          {rows.map((s) => (
            <tr key={s.Name} data-service={s.Name}>
              <td>
                <a href={hrefOf('services', s.Name)}>{s.Name}</a>
              </td>
              <td>
                {s.InstancesPassing} of {s.InstanceCount} passing
              </td>
              <td>
                <HealthCounts passing={s.ChecksPassing} warning={s.ChecksWarning} critical={s.ChecksCritical} />
              </td>
              <td>
                <Tags tags={s.Tags} />
              </td>
            </tr>
          ))}
        </Table>
      )}
    </section>
  );
}
