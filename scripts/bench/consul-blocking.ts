/**
 * npm run bench:consul [-- --services S --watchers W --changes C --dns-seconds D]
 *
 * Consul's HTTP API and DNS on a Roster agent (3 servers and one client agent on loopback, real
 * processes): W blocking queries (default 1,000) spread over S services (default 100) on
 * /v1/health/service/NAME?passing&index=..., then C changes (default 100), one at a time, each
 * flipping one service's TTL check. Reports the delay from the change's acknowledgement to each
 * of that service's blocking queries returning (p50, p99, max), the memory of the servers and
 * the agent with every query pending, and DNS queries per second on the agent (UDP, 64 in
 * flight, for D seconds). Saves JSON to bench-results/consul-latest.json.
 */
import * as dgram from 'node:dgram';
import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import * as dnsPacket from 'dns-packet';
import { freePort, TestCluster } from '../../test/integration/cluster-harness.js';

interface Args {
  services: number;
  watchers: number;
  changes: number;
  dnsSeconds: number;
}

function parse(argv: string[]): Args {
  const a: Args = { services: 100, watchers: 1000, changes: 100, dnsSeconds: 5 };
  for (let i = 0; i < argv.length; i++) {
    const f = argv[i];
    const v = Number(argv[++i]);
    if (f === '--services') a.services = v;
    else if (f === '--watchers') a.watchers = v;
    else if (f === '--changes') a.changes = v;
    else if (f === '--dns-seconds') a.dnsSeconds = v;
    else throw new Error('usage: npm run bench:consul -- [--services S] [--watchers W] [--changes C] [--dns-seconds D]');
  }
  for (const [k, v] of Object.entries(a)) if (!(Number.isInteger(v) && v > 0)) throw new Error(`--${k} must be a positive whole number`);
  if (a.watchers < a.services) throw new Error('--watchers must be at least --services');
  return a;
}

const rssMiB = (pid: number | undefined): number => {
  if (pid === undefined) return NaN;
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m === null ? NaN : Number(m[1]) / 1024;
};

const percentile = (sorted: readonly number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

async function main(): Promise<void> {
  const a = parse(process.argv.slice(2));
  const c = await TestCluster.start({ servers: 3, hostBase: 160, gossip: { extraArgs: [] } });
  try {
    const host = '127.0.0.170';
    const api = `${host}:${await freePort(host)}`;
    const dnsPort = await freePort(host);
    const agent = await c.startAgent('bench-agent', host, ['--api-addr', api, '--dns-addr', `${host}:${dnsPort}`]);
    const put = async (path: string, body?: unknown): Promise<void> => {
      const r = await fetch(`http://${api}${path}`, { method: 'PUT', ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
      if (r.status !== 200) throw new Error(`PUT ${path}: ${r.status} ${await r.text()}`);
    };
    const names = Array.from({ length: a.services }, (_, i) => `svc-${i}`);
    for (const [i, name] of names.entries()) {
      await put('/v1/agent/service/register', { Name: name, ID: name, Port: 10_000 + i, Address: `10.9.${Math.floor(i / 250)}.${(i % 250) + 1}`, Check: { TTL: '10m' } });
      await put(`/v1/agent/check/pass/service:${name}`);
    }
    const indexOf = async (name: string): Promise<number> => {
      for (const deadline = Date.now() + 30_000; Date.now() < deadline; ) {
        const r = await fetch(`http://${api}/v1/health/service/${name}?passing`);
        const rows = (await r.json()) as unknown[];
        if (rows.length === 1) return Number(r.headers.get('x-consul-index'));
        await new Promise((res) => setTimeout(res, 100));
      }
      throw new Error(`${name} never became passing`);
    };
    const index = new Map<string, number>();
    for (const n of names) index.set(n, await indexOf(n));
    // DNS first, while every service is passing: UDP queries for the services' SRV records, 64 in flight.
    const sock = dgram.createSocket('udp4');
    let answered = 0;
    let id = 0;
    const inFlight = new Map<number, () => void>();
    sock.on('message', (m) => {
      const r = dnsPacket.decode(m);
      // Only real answers count: the service's SRV record, NOERROR.
      if ((r.answers ?? []).some((x) => x.type === 'SRV')) answered++;
      inFlight.get(r.id ?? -1)?.();
    });
    const until = performance.now() + a.dnsSeconds * 1000;
    const lane = async (): Promise<void> => {
      while (performance.now() < until) {
        const qid = (id = (id + 1) % 65_536);
        await new Promise<void>((res) => {
          const t = setTimeout(res, 1000);
          inFlight.set(qid, () => {
            clearTimeout(t);
            res();
          });
          sock.send(dnsPacket.encode({ type: 'query', id: qid, questions: [{ type: 'SRV', name: `${names[qid % a.services]}.service.consul` }] }), dnsPort, host);
        });
        inFlight.delete(qid);
      }
    };
    const began = performance.now();
    await Promise.all(Array.from({ length: 64 }, lane));
    const dnsQps = answered / ((performance.now() - began) / 1000);
    sock.close();

    const rssBefore = { servers: c.servers.map((s) => rssMiB(s.proc?.pid)), agent: rssMiB(agent.proc?.pid) };

    // W watchers, each a loop of blocking queries on its service.
    const returned = new Map<string, ((at: number) => void)[]>();
    let stopping = false;
    let pending = 0;
    const watcher = async (name: string): Promise<void> => {
      let idx = index.get(name)!;
      while (!stopping) {
        pending++;
        const r = await fetch(`http://${api}/v1/health/service/${name}?passing&index=${idx}&wait=120s`).catch(() => undefined);
        pending--;
        const at = performance.now();
        if (r === undefined) continue;
        await r.arrayBuffer();
        const next = Number(r.headers.get('x-consul-index'));
        if (next > idx) for (const f of returned.get(name)?.splice(0) ?? []) f(at);
        idx = next;
      }
    };
    const loops = Array.from({ length: a.watchers }, (_, i) => watcher(names[i % a.services]!));
    for (const deadline = Date.now() + 60_000; pending < a.watchers && Date.now() < deadline; ) await new Promise((res) => setTimeout(res, 100));
    await new Promise((res) => setTimeout(res, 1000));
    const rssPending = { servers: c.servers.map((s) => rssMiB(s.proc?.pid)), agent: rssMiB(agent.proc?.pid) };

    const delays: number[] = [];
    /** The same, in the order of the changes. */
    const allDelays: number[] = [];
    const perChange: { k: number; name: string; worstMs: number; catalogMs: number }[] = [];
    const perService = a.watchers / a.services;
    let passing = new Map(names.map((n) => [n, true]));
    for (let k = 0; k < a.changes; k++) {
      const name = names[k % a.services]!;
      const woken = Array.from({ length: Math.round(perService) }, () => new Promise<number>((res) => (returned.get(name) ?? returned.set(name, []).get(name)!).push(res)));
      const state = passing.get(name)!;
      await put(`/v1/agent/check/${state ? 'fail' : 'pass'}/service:${name}`);
      const acked = performance.now();
      // When the servers have the change (the agent's catalog sync), apart from when the queries hear of it.
      const inCatalog = (async (): Promise<number> => {
        for (const until = acked + 10_000; performance.now() < until; ) {
          const rows = (await (await fetch(`http://${api}/v1/health/service/${name}?passing`)).json()) as unknown[];
          if ((rows.length === 1) === !state) return performance.now() - acked;
          await new Promise((res) => setTimeout(res, 10));
        }
        return NaN;
      })();
      passing = new Map(passing).set(name, !state);
      const ats = await Promise.race([Promise.all(woken), new Promise<number[]>((res) => setTimeout(() => res([]), 10_000))]);
      if (ats.length === 0) throw new Error(`change ${k} on ${name}: its blocking queries did not all return within 10 s`);
      for (const at of ats) {
        delays.push(Math.max(0, at - acked));
        allDelays.push(Math.max(0, at - acked));
      }
      perChange.push({ k, name, worstMs: Math.max(...ats.map((at) => at - acked)), catalogMs: await inCatalog });
      process.stdout.write(`\rchanges ${k + 1}/${a.changes}`);
    }
    process.stdout.write('\n');
    stopping = true;
    // Which changes were slowest (the tail's shape: the first change, a GC, a snapshot...).
    const slowest = [...perChange].sort((x, y) => y.worstMs - x.worstMs).slice(0, 3);
    console.log(`slowest changes: ${slowest.map((c) => `#${c.k} (${c.name}) ${c.worstMs.toFixed(0)} ms (in the catalog after ${c.catalogMs.toFixed(0)} ms)`).join(', ')}`);
    // A failed catalog sync is retried after a second's back-off: the first suspect for a slow change.
    const syncFailures = agent.log.filter((l) => l.includes('anti-entropy sync failed'));
    console.log(`agent catalog syncs failed and retried: ${syncFailures.length}${syncFailures.length > 0 ? ` (first: ${syncFailures[0]!.slice(0, 300)})` : ''}`);
    delays.sort((x, y) => x - y);
    // The first change after the queries park has been the slow one in every run so far, and its delay is
    // before the change reaches the catalog: reported apart, so the steady state shows.
    const perWatcher = Math.round(perService);
    const afterFirst = allDelays.slice(perWatcher).sort((x, y) => x - y);

    const fmt = (n: number): string => n.toFixed(1);
    const text = [
      `${a.watchers.toLocaleString('en-US')} blocking queries on ${a.services} services through one agent, ${a.changes} changes one at a time (each wakes ${Math.round(perService)} queries); ${cpus().length} cores`,
      '',
      '| measure | value |',
      '|---|---:|',
      `| delivery delay p50 | ${fmt(percentile(delays, 50))} ms |`,
      `| delivery delay p99 | ${fmt(percentile(delays, 99))} ms |`,
      `| delivery delay max | ${fmt(delays.at(-1) ?? NaN)} ms |`,
      `| delivery delay p99 / max, the first change left out | ${fmt(percentile(afterFirst, 99))} / ${fmt(afterFirst.at(-1) ?? NaN)} ms |`,
      `| deliveries | ${delays.length} |`,
      `| server RSS, before / with every query pending (MiB) | ${rssBefore.servers.map(fmt).join(', ')} / ${rssPending.servers.map(fmt).join(', ')} |`,
      `| agent RSS, before / with every query pending (MiB) | ${fmt(rssBefore.agent)} / ${fmt(rssPending.agent)} |`,
      `| DNS SRV queries per second, one agent, UDP, 64 in flight | ${Math.round(dnsQps).toLocaleString('en-US')} |`,
    ].join('\n');
    console.log(`\n${text}`);
    const dir = resolve(import.meta.dirname, '../../bench-results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'consul-latest.json'), `${JSON.stringify({ date: new Date().toISOString(), args: a, delays: { p50: percentile(delays, 50), p99: percentile(delays, 99), max: delays.at(-1) }, rssBefore, rssPending, dnsQps, table: text }, null, 2)}\n`);
    console.log('results saved to bench-results/consul-latest.json');
    void Promise.allSettled(loops);
  } finally {
    await c.destroy();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(`bench:consul: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
