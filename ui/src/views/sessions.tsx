import type { KvEntry, SessionEntry } from '../consul-types';
import { useLive } from '../api';
import { LiveState, Table } from '../parts';
import { hrefOf } from '../route';

/**
 * Sessions and the locks they hold: every session (node, checks, TTL, behaviour, lock delay) and
 * every key held by one (Consul's locks are keys acquired by a session). The held keys come from
 * one recursive read of the keyspace, fine for a registry's configuration, not for a huge one.
 */
export function SessionsView({ token }: { token: string }) {
  const sessions = useLive<SessionEntry[]>('/v1/session/list', token);
  const keys = useLive<KvEntry[]>('/v1/kv/?recurse', token);
  const held = (keys.data ?? []).filter((k) => k.Session !== undefined);
  const locksOf = (id: string): KvEntry[] => held.filter((k) => k.Session === id);
  return (
    <section aria-labelledby="sessions-title">
      <h1 id="sessions-title">Sessions and locks</h1>
      <LiveState live={sessions} what="sessions" />
      <LiveState live={keys} what="the keys held as locks (this needs key:read on every key)" />
      <Table caption={`${held.length} locks held`} head={['Lock (key)', 'Held by session', 'Node', 'Since index', 'Lock index']}>
        {held.map((k) => {
          const s = (sessions.data ?? []).find((x) => x.ID === k.Session);
          return (
            <tr key={k.Key} data-lock={k.Key}>
              <td>
                <a href={hrefOf('kv', k.Key)}>{k.Key}</a>
              </td>
              <td>
                {s?.Name === undefined || s.Name === '' ? '' : `${s.Name} `}
                <code>{k.Session}</code>
              </td>
              <td>{s === undefined ? '' : <a href={hrefOf('nodes', s.Node)}>{s.Node}</a>}</td>
              <td>{k.ModifyIndex}</td>
              <td>{k.LockIndex}</td>
            </tr>
          );
        })}
      </Table>
      <Table caption={`${sessions.data?.length ?? 0} sessions`} head={['Session', 'Name', 'Node', 'Checks', 'TTL', 'Behavior', 'Lock delay', 'Created at index', 'Locks']}>
        {(sessions.data ?? []).map((s) => (
          <tr key={s.ID} data-session={s.ID}>
            <td>
              <code>{s.ID}</code>
            </td>
            <td>{s.Name}</td>
            <td>
              <a href={hrefOf('nodes', s.Node)}>{s.Node}</a>
            </td>
            <td>{[...(s.NodeChecks ?? s.Checks ?? []), ...(s.ServiceChecks ?? []).map((c) => c.ID)].join(', ') || <span class="muted">none</span>}</td>
            <td>{s.TTL === '' ? <span class="muted">none</span> : s.TTL}</td>
            <td>{s.Behavior}</td>
            <td>{s.LockDelay / 1e9} s</td>
            <td>{s.CreateIndex}</td>
            <td>{locksOf(s.ID).length}</td>
          </tr>
        ))}
      </Table>
    </section>
  );
}
