import { useState } from 'preact/hooks';
import type { KvEntry } from '../consul-types';
import { call, useLive } from '../api';
import { LiveState, Table } from '../parts';
import { hrefOf } from '../route';
import { editableOf, shownOf } from './kv-value';

/**
 * The key as one escaped path segment ("/" as %2F, which the agent decodes): a key with "." or
 * ".." segments (x/../y) must not be collapsed by the browser's URL parser into another key.
 */
const kvPath = (key: string): string => `/v1/kv/${encodeURIComponent(key)}`;

/** The path's parents, as links: "a/b/c" → "", "a/", "a/b/". */
function Crumbs({ path }: { path: string }) {
  const parts = path.split('/').filter((p, i, all) => p !== '' || i < all.length - 1);
  const links = [{ label: 'Key/value', to: '' }];
  let at = '';
  for (let i = 0; i < parts.length - (path.endsWith('/') ? 0 : 1); i++) {
    at += `${parts[i]}/`;
    links.push({ label: parts[i]!, to: at });
  }
  return (
    <p class="crumbs">
      {links.map((l) => (
        <span key={l.to}>
          <a href={hrefOf('kv', l.to)}>{l.label}</a> /{' '}
        </span>
      ))}
    </p>
  );
}

export function KvView({ path, token }: { path: string; token: string }) {
  return path === '' || path.endsWith('/') ? <KvFolder prefix={path} token={token} /> : <KvKey kvKey={path} token={token} />;
}

/** Keys and sub-folders under a prefix (Consul's ?keys&separator=/), create, delete the prefix. */
function KvFolder({ prefix, token }: { prefix: string; token: string }) {
  const live = useLive<string[]>(`${kvPath(prefix)}?keys&separator=/`, token);
  const [name, setName] = useState('');
  const [value, setValue] = useState('');
  const [said, setSaid] = useState('');
  const [confirming, setConfirming] = useState(false);
  const entries = (live.data ?? []).filter((k) => k !== prefix);
  const create = async (e: Event): Promise<void> => {
    e.preventDefault();
    if (name === '') return setSaid('Give the key a name.');
    try {
      // cas=0: only if no such key exists, so a create never overwrites.
      const a = await call('PUT', `${kvPath(prefix + name)}?cas=0`, token, value);
      setSaid(a.text.trim() === 'true' ? `Created ${prefix + name}.` : `Not created: ${prefix + name} exists already.`);
      if (a.text.trim() === 'true') {
        setName('');
        setValue('');
      }
    } catch (err) {
      setSaid(`Not created: ${String(err instanceof Error ? err.message : err)}`);
    }
  };
  const removeAll = async (): Promise<void> => {
    try {
      await call('DELETE', `${kvPath(prefix)}?recurse`, token);
      location.hash = hrefOf('kv', prefix.replace(/[^/]*\/$/, ''));
    } catch (err) {
      setSaid(`Not deleted: ${String(err instanceof Error ? err.message : err)}`);
    }
    setConfirming(false);
  };
  return (
    <section aria-labelledby="kv-title">
      <Crumbs path={prefix} />
      <h1 id="kv-title">{prefix === '' ? 'Key/value' : prefix}</h1>
      <LiveState live={live} what="keys" />
      {(live.data !== undefined || live.missing) && (
        <Table caption={`${entries.length} entries`} head={['Key']}>
          {entries.map((k) => (
            <tr key={k}>
              <td>
                <a href={hrefOf('kv', k)}>{k.slice(prefix.length)}</a>
                {k.endsWith('/') && <span class="muted"> (folder)</span>}
              </td>
            </tr>
          ))}
        </Table>
      )}
      <form class="panel" onSubmit={(e) => void create(e)}>
        <h2>Create a key</h2>
        <label>
          Name (under {prefix === '' ? 'the root' : prefix})
          <input name="key" value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
        </label>
        <label>
          Value
          <textarea name="value" rows={4} value={value} onInput={(e) => setValue((e.target as HTMLTextAreaElement).value)} />
        </label>
        <button type="submit">Create</button>
      </form>
      {prefix !== '' && (
        <div class="panel">
          {confirming ? (
            <p role="alertdialog" aria-label="Confirm deleting the prefix">
              Delete every key under {prefix}?{' '}
              <button class="danger" onClick={() => void removeAll()}>
                Delete them
              </button>{' '}
              <button onClick={() => setConfirming(false)}>Cancel</button>
            </p>
          ) : (
            <button class="danger" onClick={() => setConfirming(true)}>
              Delete the prefix {prefix}
            </button>
          )}
        </div>
      )}
      {said !== '' && (
        <p class="said" role="status">
          {said}
        </p>
      )}
    </section>
  );
}

/** One key: its value, who holds it, edit with check-and-set (a stale edit is refused), delete. */
function KvKey({ kvKey, token }: { kvKey: string; token: string }) {
  const live = useLive<KvEntry[]>(kvPath(kvKey), token);
  const entry = live.data?.[0];
  /** The edit in progress: the text and the index the value had when the edit began. */
  const [edit, setEdit] = useState<{ text: string; index: number; flags: number } | undefined>();
  const [said, setSaid] = useState('');
  const [refused, setRefused] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const shown = shownOf(entry?.Value ?? null);
  const save = async (e: Event): Promise<void> => {
    e.preventDefault();
    if (edit === undefined) return;
    try {
      // The flags go with the value (a write without them would set them to 0).
      const a = await call('PUT', `${kvPath(kvKey)}?cas=${edit.index}&flags=${edit.flags}`, token, edit.text);
      if (a.text.trim() === 'true') {
        setEdit(undefined);
        setRefused(false);
        setSaid('Saved.');
      } else {
        setRefused(true);
        setSaid(`Refused: ${kvKey} changed since you began editing (you edited index ${edit.index}${entry === undefined ? '; it has been deleted' : `; it is now at ${entry.ModifyIndex}`}). Your text is kept; start again from the current value to save it.`);
      }
    } catch (err) {
      setSaid(`Not saved: ${String(err instanceof Error ? err.message : err)}`);
    }
  };
  const remove = async (): Promise<void> => {
    if (entry === undefined) return;
    try {
      const a = await call('DELETE', `${kvPath(kvKey)}?cas=${entry.ModifyIndex}`, token);
      if (a.text.trim() === 'true') location.hash = hrefOf('kv', kvKey.replace(/[^/]*$/, ''));
      else setSaid(`Refused: ${kvKey} changed before the delete; look at it again.`);
    } catch (err) {
      setSaid(`Not deleted: ${String(err instanceof Error ? err.message : err)}`);
    }
    setConfirming(false);
  };
  return (
    <section aria-labelledby="key-title">
      <Crumbs path={kvKey} />
      <h1 id="key-title">{kvKey}</h1>
      <LiveState live={live} what={`key ${kvKey}`} />
      {live.missing && <p class="banner banner-stale">There is no key {kvKey}.</p>}
      {entry !== undefined && (
        <>
          <dl class="facts">
            <div>
              <dt>Modify index</dt>
              <dd data-testid="modify-index">{entry.ModifyIndex}</dd>
            </div>
            <div>
              <dt>Create index</dt>
              <dd>{entry.CreateIndex}</dd>
            </div>
            <div>
              <dt>Flags</dt>
              <dd>{entry.Flags}</dd>
            </div>
            <div>
              <dt>Lock</dt>
              <dd>{entry.Session === undefined ? <span class="muted">not held</span> : <a href={hrefOf('sessions')}>held by session {entry.Session}</a>}</dd>
            </div>
            <div>
              <dt>Size</dt>
              <dd>
                {shown.bytes} bytes, {shown.kind}
              </dd>
            </div>
          </dl>
        </>
      )}
      {edit === undefined ? (
        entry !== undefined && (
          <>
            <pre class="value" data-testid="value">
              {shown.text}
            </pre>
            <div class="toolbar">
              {editableOf(entry.Value) !== undefined && (
                <button
                  onClick={() => {
                    setSaid('');
                    setRefused(false);
                    setEdit({ text: editableOf(entry.Value) ?? '', index: entry.ModifyIndex, flags: entry.Flags });
                  }}
                >
                  Edit
                </button>
              )}
              {confirming ? (
                <span role="alertdialog" aria-label="Confirm deleting the key">
                  Delete {kvKey}?{' '}
                  <button class="danger" onClick={() => void remove()}>
                    Delete it
                  </button>{' '}
                  <button onClick={() => setConfirming(false)}>Cancel</button>
                </span>
              ) : (
                <button class="danger" onClick={() => setConfirming(true)}>
                  Delete
                </button>
              )}
            </div>
          </>
        )
      ) : (
        <form class="panel" onSubmit={(e) => void save(e)}>
          <label>
            Value (editing index {edit.index})
            <textarea name="value" rows={10} value={edit.text} onInput={(e) => setEdit({ ...edit, text: (e.target as HTMLTextAreaElement).value })} />
          </label>
          <div class="toolbar">
            <button type="submit">Save</button>
            {refused && (
              // Over the current value, or (the key deleted meanwhile) as a new key: cas=0.
              <button type="button" onClick={() => setEdit({ text: edit.text, index: entry?.ModifyIndex ?? 0, flags: entry?.Flags ?? edit.flags })}>
                Keep my text over the current value
              </button>
            )}
            <button type="button" onClick={() => setEdit(undefined)}>
              Cancel
            </button>
          </div>
        </form>
      )}
      {said !== '' && (
        <p class={refused ? 'said banner-error' : 'said'} role="status">
          {said}
        </p>
      )}
    </section>
  );
}
