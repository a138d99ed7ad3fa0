import { describe, expect, it } from 'vitest';
import { seededRng } from '../../src/util/rng.js';
import { eventually, freePort, TestCluster, type ServerProc } from './cluster-harness.js';

/**
 * Three servers (--bootstrap-expect 3, the README's shape: n1 joins n2, n2 joins n3, n3 joins
 * n1) and two client agents each joining one server, started in several orders and at several
 * delays: every start must end as one pool, every member seeing all five alive. An agent that
 * joins a server before the servers know each other used to leave that server content with the
 * agent (it stopped retrying its own --join once it knew anyone), and the pool split for good.
 */
const SERVERS = ['n1', 'n2', 'n3'] as const;
type ServerName = (typeof SERVERS)[number];

type Step =
  | { readonly server: ServerName }
  | { readonly agent: 'a1' | 'a2'; readonly via: ServerName }
  /** Waits until this agent sees at least that many members alive (itself included). */
  | { readonly agentSees: 'a1' | 'a2'; readonly alive: number }
  /** Part of the scenario: how long after the previous start the next one comes. */
  | { readonly delayMs: number };

interface Scenario {
  readonly name: string;
  readonly steps: readonly Step[];
}

/** A seeded shuffle of the five starts with random gaps, agents joining random servers. */
function randomStarts(seed: number): Step[] {
  const rng = seededRng(seed);
  const starts: Step[] = rng.shuffle([...SERVERS.map((server) => ({ server })), { agent: 'a1' as const, via: rng.pick(SERVERS) }, { agent: 'a2' as const, via: rng.pick(SERVERS) }]);
  return starts.flatMap((s) => [s, { delayMs: rng.int(2500) }]);
}

const SCENARIOS: readonly Scenario[] = [
  {
    // The split of the issue, made certain: n1 and n2 each hear from an agent before their own
    // seed runs, and n3 then joins n1 (so n1 | n2 without the fix).
    name: 'an agent joins each of n1 and n2 before the servers know each other',
    steps: [{ server: 'n1' }, { agent: 'a1', via: 'n1' }, { agentSees: 'a1', alive: 2 }, { server: 'n2' }, { agent: 'a2', via: 'n2' }, { agentSees: 'a2', alive: 2 }, { server: 'n3' }],
  },
  { name: "all five at once (the README's commands run together)", steps: [{ server: 'n1' }, { server: 'n2' }, { server: 'n3' }, { agent: 'a1', via: 'n1' }, { agent: 'a2', via: 'n1' }] },
  { name: 'both agents first, joining servers not yet started', steps: [{ agent: 'a1', via: 'n2' }, { agent: 'a2', via: 'n3' }, { delayMs: 1500 }, { server: 'n3' }, { server: 'n2' }, { server: 'n1' }] },
  { name: 'servers one by one in reverse order, an agent joining each of the first two', steps: [{ server: 'n3' }, { agent: 'a1', via: 'n3' }, { agentSees: 'a1', alive: 2 }, { server: 'n2' }, { delayMs: 1000 }, { agent: 'a2', via: 'n2' }, { delayMs: 1000 }, { server: 'n1' }] },
  { name: 'a seeded random order with random gaps (seed 7)', steps: randomStarts(7) },
];

/** This member's gossip view by state, from its /metrics. */
async function viewOf(httpAddr: string): Promise<Record<string, number>> {
  const text = await (await fetch(`http://${httpAddr}/metrics`)).text();
  return Object.fromEntries([...text.matchAll(/^roster_gossip_members\{state="(\w+)"\} (\d+)$/gm)].map((m) => [m[1]!, Number(m[2])]));
}

/** Whether this member has completed a push-pull with one of its seeds, from its /metrics. */
async function joinedASeed(httpAddr: string): Promise<boolean> {
  const text = await (await fetch(`http://${httpAddr}/metrics`)).text();
  return /^roster_gossip_join_pending 0$/m.test(text);
}

/** A member's view as its log tells it (the last membership event per member): for failures. */
function loggedView(log: readonly string[]): string {
  const last = new Map<string, string>();
  for (const line of log) {
    if (!line.includes('"gossip member"')) continue;
    try {
      const e = JSON.parse(line) as { member: string; event: string };
      last.set(e.member, e.event);
    } catch {
      // not a log line of ours
    }
  }
  return [...last].map(([m, e]) => `${m}:${e}`).join(' ');
}

async function run(scenario: Scenario, index: number): Promise<void> {
  const hostBase = 210;
  const c = await TestCluster.prepare({ servers: 3, hostBase, bootstrapExpect: 3, gossip: { extraArgs: [] }, http: true, readyTimeoutMs: 90_000 });
  const agents = new Map<string, { host: string; httpAddr: string }>();
  for (const [i, name] of ['a1', 'a2'].entries()) {
    const host = `127.0.0.${hostBase + 6 + i}`;
    agents.set(name, { host, httpAddr: `${host}:${await freePort(host)}` });
  }
  const server = (name: ServerName): ServerProc => c.server(name);
  const pending: Promise<unknown>[] = [];
  /** A start still waiting for its ready line when the scenario fails is settled by destroy(). */
  const track = (p: Promise<unknown>): void => {
    p.catch(() => undefined);
    pending.push(p);
  };
  const t0 = Date.now();
  try {
    for (const step of scenario.steps) {
      if ('server' in step) track(c.launch(server(step.server), 'new'));
      else if ('agent' in step) {
        const a = agents.get(step.agent)!;
        track(c.startAgent(step.agent, a.host, ['--http-addr', a.httpAddr], [server(step.via).gossipAddr!]));
      } else if ('agentSees' in step) {
        const a = agents.get(step.agentSees)!;
        await eventually(`${step.agentSees} sees ${step.alive} alive`, async () => (((await viewOf(a.httpAddr)).alive ?? 0) >= step.alive ? true : undefined), 30_000);
      } else await new Promise((r) => setTimeout(r, step.delayMs)); // the scenario's gap between starts
    }
    // Servers print ready once they founded the cluster, which needs all three in one view.
    const started = Promise.all(pending);
    const members = [...SERVERS.map((n) => ({ name: n, httpAddr: server(n).httpAddr! })), ...[...agents].map(([name, a]) => ({ name, httpAddr: a.httpAddr }))];
    await eventually(
      'every member sees all five alive',
      async () => {
        const views = await Promise.all(members.map((m) => viewOf(m.httpAddr)));
        return views.every((v) => v.alive === 5 && v.suspect === 0 && v.dead === 0 && v.left === 0) ? true : undefined;
      },
      90_000,
      200,
    ).catch((err: unknown) => {
      for (const s of c.servers) console.log(`${s.name} saw: ${loggedView(s.log)}`);
      for (const a of c.agents) console.log(`${a.name} saw: ${loggedView(a.log)}`);
      throw err;
    });
    const onePool = Date.now() - t0;
    await started;
    // Every member (each has a seed) hears from one of its own seeds, not merely from whoever
    // joined it: one still retrying gets there at its next round, at most 10 s on.
    for (const m of members) await eventually(`${m.name} joined through a seed`, async () => ((await joinedASeed(m.httpAddr)) ? true : undefined), 15_000);
    console.log(`scenario ${index + 1} (${scenario.name}): one pool of 5 ${onePool} ms after the first start, every join through a seed by ${Date.now() - t0} ms`);
    const leader = await c.waitForLeader();
    const ids = await Promise.all(c.servers.map(async (s) => (await c.call<{ header: { clusterId: string } }>(s, 'Maintenance', 'Status', {})).header.clusterId));
    expect(new Set(ids).size).toBe(1);
    expect(leader).toBeDefined();
  } finally {
    // Killing the processes settles every start still waiting for its ready line.
    await c.destroy();
    await Promise.allSettled(pending);
  }
}

describe('one gossip pool, whatever order its members start in', () => {
  for (const [i, s] of SCENARIOS.entries()) it(s.name, () => run(s, i), 120_000);
});
