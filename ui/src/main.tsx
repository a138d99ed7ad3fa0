import { render } from 'preact';
import { useState } from 'preact/hooks';
import { saveToken, savedToken } from './api';
import { hrefOf, useRoute, type Route } from './route';
import { ClusterView } from './views/cluster';
import { KvView } from './views/kv';
import { NodeView } from './views/node';
import { NodesView } from './views/nodes';
import { ServicesView } from './views/services';
import { ServiceView } from './views/service';
import { SessionsView } from './views/sessions';

const NAV: readonly { view: string; label: string; current: readonly Route['view'][] }[] = [
  { view: 'services', label: 'Services', current: ['services', 'service'] },
  { view: 'nodes', label: 'Nodes', current: ['nodes', 'node'] },
  { view: 'kv', label: 'Key/value', current: ['kv'] },
  { view: 'sessions', label: 'Sessions', current: ['sessions'] },
  { view: 'cluster', label: 'Cluster', current: ['cluster'] },
];

/** The ACL token the page sends: typed once, kept in this tab's session only. */
function TokenField({ token, onChange }: { token: string; onChange: (t: string) => void }) {
  const [draft, setDraft] = useState(token);
  return (
    <form
      class="token"
      onSubmit={(e) => {
        e.preventDefault();
        onChange(draft.trim());
      }}
    >
      <label>
        ACL token
        <input type="password" autocomplete="off" value={draft} onInput={(e) => setDraft((e.target as HTMLInputElement).value)} placeholder="none: the agent's default" />
      </label>
      <button type="submit">Use</button>
    </form>
  );
}

function View({ route, token }: { route: Route; token: string }) {
  switch (route.view) {
    case 'service':
      return <ServiceView key={route.arg} name={route.arg} token={token} />;
    case 'nodes':
      return <NodesView token={token} />;
    case 'node':
      return <NodeView key={route.arg} name={route.arg} token={token} />;
    case 'kv':
      return <KvView key={route.arg} path={route.arg} token={token} />;
    case 'sessions':
      return <SessionsView token={token} />;
    case 'cluster':
      return <ClusterView token={token} />;
    case 'services':
    default:
      return <ServicesView token={token} />;
  }
}

function App() {
  const route = useRoute();
  const [token, setToken] = useState(savedToken);
  return (
    <>
      {/* Focused by script: the fragment routes the views, so "#main" would leave this one. */}
      <a
        class="skip"
        href={location.hash}
        onClick={(e) => {
          e.preventDefault();
          document.getElementById('main')?.focus();
        }}
      >
        Skip to the content
      </a>
      <header>
        <span class="brand">Roster</span>
        <nav aria-label="Views">
          {NAV.map((n) => (
            <a key={n.view} href={hrefOf(n.view)} aria-current={n.current.includes(route.view) ? 'page' : undefined}>
              {n.label}
            </a>
          ))}
        </nav>
        <TokenField
          token={token}
          onChange={(t) => {
            saveToken(t);
            setToken(t);
          }}
        />
      </header>
      <main id="main" tabIndex={-1}>
        <View route={route} token={token} />
      </main>
    </>
  );
}

render(<App />, document.getElementById('app')!);
