/**
 * An example service that registers itself with Roster and keeps its registration alive.
 *
 *   npx tsx examples/greeter-service.ts --port 7101 [--roster 127.0.0.1:8502,...] [--id greeter-1] [--ca-file F --cert-file F --key-file F]
 *
 * It answers GET / with a greeting naming itself; it registers as "greeter" with a 3 s TTL that
 * the SDK renews every second, and deregisters on Ctrl-C. Kill it with -9 and it turns critical
 * (leaves the healthy set) within 3 s, then is deregistered after 30 s.
 */
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import { RosterClient } from '../src/client/index.js';
import { TLS_OPTIONS, tlsOption } from './tls-options.js';

const { values } = parseArgs({
  options: {
    ...TLS_OPTIONS,
    port: { type: 'string', default: '7101' },
    roster: { type: 'string', default: '127.0.0.1:8502' },
    id: { type: 'string' },
    host: { type: 'string', default: '127.0.0.1' },
  },
});
const port = Number(values.port);
const id = values.id ?? `greeter-${port}`;

const server = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.end(`hello from ${id}\n`);
});
await new Promise<void>((resolve) => server.listen(port, values.host, resolve));

const roster = new RosterClient({ endpoints: values.roster.split(','), node: { name: `node-${id}`, address: values.host }, ...tlsOption(values) });
const registration = await roster.register({ name: 'greeter', id, port, tags: ['http'] }, { ttlMs: 3000, deregisterCriticalAfterMs: 30_000 });
registration.on('reregistered', (why: string) => console.log(`registered again: ${why}`));
registration.on('failure', (err: Error) => console.log(`renewal failed (will retry): ${err.message}`));
console.log(`${id} listening on ${values.host}:${port}, registered as "greeter"`);

const stop = async (): Promise<void> => {
  await registration.stop().catch((err: unknown) => console.log(`deregistration failed: ${String(err)}`));
  roster.close();
  server.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
