/**
 * An example client that discovers "greeter" instances through Roster and calls them.
 *
 *   npx tsx examples/greeter-client.ts [--roster 127.0.0.1:8502,...] [--every 1000] [--count 0] [--ca-file F --cert-file F --key-file F]
 *
 * It keeps a live cache of the healthy instances (a watch stream), calls one per round with the
 * round-robin selector and fail-over, and prints what answered. When every Roster server is
 * unreachable it goes on with the last instances it knew, and says the list is stale.
 */
import { parseArgs } from 'node:util';
import { RosterClient } from '../src/client/index.js';
import { TLS_OPTIONS, tlsOption } from './tls-options.js';

const { values } = parseArgs({
  options: {
    ...TLS_OPTIONS,
    roster: { type: 'string', default: '127.0.0.1:8502' },
    every: { type: 'string', default: '1000' },
    count: { type: 'string', default: '0' },
  },
});

const roster = new RosterClient({ endpoints: values.roster.split(','), ...tlsOption(values) });
const greeters = roster.discover('greeter');
greeters.on('change', (list: readonly { id: string }[]) => console.log(`instances: ${list.map((i) => i.id).join(', ') || '(none)'}`));
await greeters.ready();
greeters.on('stale', (stale: boolean) => console.log(stale ? `roster unreachable: using the last known instances (${greeters.staleReason})` : 'roster reachable again'));

const rounds = Number(values.count);
for (let n = 1; rounds === 0 || n <= rounds; n++) {
  try {
    const text = await roster.call('greeter', async (i) => {
      const res = await fetch(`http://${i.address}:${i.port}/`, { signal: AbortSignal.timeout(1000) });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      return (await res.text()).trim();
    });
    console.log(`${text}${greeters.stale ? ' (instance list stale)' : ''}`);
  } catch (err) {
    console.log(`no greeter answered: ${err instanceof Error ? err.message : String(err)}`);
  }
  await new Promise((r) => setTimeout(r, Number(values.every)));
}
roster.close();
