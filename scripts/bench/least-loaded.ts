/**
 * The least-loaded selector against round-robin: four instances of one service, one of them slow
 * (50 ms a call where the others take 2 ms), each measuring its own load (LoadMeter) and
 * reporting it in its meta once a second at most (Registration.reportLoad). A caller makes
 * bounded rounds of calls at a fixed concurrency through RosterClient.call with each selector in
 * turn; the p50 and p99 of the calls are reported, medians of the rounds.
 *
 *   npm run bench:least-loaded [-- --rounds 3 --calls 2000 --concurrency 8]
 *
 * Everything runs in this process (startTestRegistry): the registry, the instances, the caller.
 */
import { createServer, request, Agent, type Server } from 'node:http';
import { parseArgs } from 'node:util';
import { LoadMeter, RosterClient, type Instance, type SelectorName } from '../../src/client/index.js';
import { startTestRegistry } from '../../src/testing/index.js';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '3' }, calls: { type: 'string', default: '2000' }, concurrency: { type: 'string', default: '8' } } });
const ROUNDS = Math.min(10, Number(values.rounds));
const CALLS = Math.min(20_000, Number(values.calls));
const CONCURRENCY = Math.min(64, Number(values.concurrency));
const DELAYS_MS = [2, 2, 2, 50];

const registry = await startTestRegistry();
const servers: Server[] = [];
const clients: RosterClient[] = [];
for (const [i, delay] of DELAYS_MS.entries()) {
  const meter = new LoadMeter({ windowMs: 10_000 });
  const server = createServer((_req, res) => {
    const end = meter.begin();
    setTimeout(() => {
      res.end(String(i));
      end();
    }, delay);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  servers.push(server);
  const client = new RosterClient({ endpoints: [...registry.endpoints], node: { name: `host-${i}`, address: '127.0.0.1' } });
  clients.push(client);
  const reg = await client.register({ name: 'api', id: `api-${i}`, port: (server.address() as { port: number }).port }, { ttlMs: 10_000 });
  reg.reportLoad(meter, { everyMs: 1000 });
}

const caller = new RosterClient({ endpoints: [...registry.endpoints], node: { name: 'caller', address: '127.0.0.1' } });
const agent = new Agent({ keepAlive: true, maxSockets: 64 });
const httpGet = (inst: Instance): Promise<void> =>
  new Promise((resolve, reject) => {
    const req = request({ host: inst.address, port: inst.port, path: '/', agent }, (res) => {
      res.resume();
      res.on('end', () => resolve());
    });
    req.on('error', reject);
    req.end();
  });

/** `CALLS` calls at `CONCURRENCY` with `selector`: each call's duration, in ms. */
async function round(selector: SelectorName): Promise<number[]> {
  const took: number[] = [];
  let left = CALLS;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (left-- > 0) {
        const t0 = performance.now();
        await caller.call('api', httpGet, { selector });
        took.push(performance.now() - t0);
      }
    }),
  );
  return took.sort((a, b) => a - b);
}
const pct = (sorted: readonly number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * p) - 1)]!;
const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

// Every instance measured and reporting before the first timed round.
await round('round-robin');
await new Promise((r) => setTimeout(r, 1500));
const results: Record<string, { p50: number[]; p99: number[] }> = { 'round-robin': { p50: [], p99: [] }, 'least-loaded': { p50: [], p99: [] } };
for (let r = 0; r < ROUNDS; r++) {
  for (const s of ['round-robin', 'least-loaded'] as const) {
    const took = await round(s);
    results[s]!.p50.push(pct(took, 0.5));
    results[s]!.p99.push(pct(took, 0.99));
  }
}
console.log(`one slow instance (${DELAYS_MS.join(', ')} ms) among ${DELAYS_MS.length}; ${CALLS} calls x ${ROUNDS} rounds at concurrency ${CONCURRENCY}; medians of the rounds`);
console.log('selector       p50 ms   p99 ms');
for (const [s, r] of Object.entries(results)) console.log(`${s.padEnd(14)} ${median(r.p50).toFixed(1).padStart(6)}   ${median(r.p99).toFixed(1).padStart(6)}`);
const ratio = median(results['least-loaded']!.p99) / median(results['round-robin']!.p99);
console.log(`least-loaded p99 / round-robin p99 = ${ratio.toFixed(2)}`);

caller.close();
for (const c of clients) c.close();
for (const s of servers) s.close();
agent.destroy();
await registry.stop();
