import type { ComponentChildren } from 'preact';
import type { Live } from './api';

/** A check or instance status, in words and colour (never colour alone). */
export function Status({ status }: { status: string }) {
  const s = status.toLowerCase();
  return <span class={`status status-${s}`}>{s}</span>;
}

/** Counts of passing, warning and critical checks. */
export function HealthCounts({ passing, warning, critical }: { passing: number; warning: number; critical: number }) {
  return (
    <span class="counts">
      <span class="status status-passing" title="passing checks">{passing} passing</span>
      {warning > 0 && <span class="status status-warning" title="warning checks">{warning} warning</span>}
      {critical > 0 && <span class="status status-critical" title="critical checks">{critical} critical</span>}
    </span>
  );
}

/** What a view says about where its data stands: loading, failing (retried), or stale. */
export function LiveState<T>({ live, what }: { live: Live<T>; what: string }) {
  if (live.error !== '') {
    return (
      <p class="banner banner-error" role="alert">
        Cannot read {what} now ({live.error}); {live.data === undefined ? 'trying again' : 'showing the last answer, trying again'}.
      </p>
    );
  }
  if (live.stale) return <p class="banner banner-stale" role="status">Stale: the server that answered has no leader; {what} may be out of date.</p>;
  if (live.data === undefined && !live.missing) return <p class="loading" role="status">Loading {what}…</p>;
  return null;
}

export function Filter({ label, value, onInput }: { label: string; value: string; onInput: (v: string) => void }) {
  return (
    <label class="filter">
      {label}
      <input type="search" value={value} onInput={(e) => onInput((e.target as HTMLInputElement).value)} />
    </label>
  );
}

/** A table that scrolls sideways on a narrow screen instead of overflowing the page. */
export function Table({ caption, head, children }: { caption: string; head: readonly string[]; children: ComponentChildren }) {
  return (
    <div class="table-wrap">
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            {head.map((h) => (
              <th scope="col" key={h}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

export function Tags({ tags }: { tags: readonly string[] }) {
  return (
    <span class="tags">
      {tags.map((t) => (
        <span class="tag" key={t}>
          {t}
        </span>
      ))}
    </span>
  );
}

export function MetaList({ meta }: { meta: Readonly<Record<string, string>> }) {
  const entries = Object.entries(meta);
  if (entries.length === 0) return <span class="muted">none</span>;
  return (
    <dl class="meta">
      {entries.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}
