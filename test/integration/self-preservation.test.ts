import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SELF_PRESERVATION_DEFAULTS } from '../../src/server/self-preservation.js';
import { eventually, TestCluster, type AgentProc, type ServerProc } from './cluster-harness.js';

const FAST = ['--gossip-probe-interval-ms', '500', '--gossip-probe-timeout-ms', '200'];
/** A TTL check the "application" renews; left alone it turns critical, then takes its service away. */
const TTL_MS = 8000; // well above the time gossip takes to declare a member failed (about 3 s here)
const DEREGISTER_AFTER_MS = 1000;
/** The default --self-preservation-hold-ms: a failed member's sessions end this long after. */
const HOLD_MS = SELF_PRESERVATION_DEFAULTS.holdMs;

/**
 * Self-preservation with real processes: 3 servers and 9 agents (a pool of 12). Five agents
 * (over 40%) stop at once (SIGSTOP: to the others they are partitioned away); their services
 * and sessions stay until they come back. A single agent killed on its own is handled as before.
 */
describe('self-preservation: a mass failure is a network fault, not deaths', () => {
  let c: TestCluster;
  const agents: AgentProc[] = [];
  let renewing = true;
  let renewer: Promise<void> | undefined;

  beforeAll(async () => {
    c = await TestCluster.start({ servers: 3, hostBase: 212, gossip: { extraArgs: FAST }, http: true });
    for (let i = 1; i <= 9; i++) agents.push(await c.startAgent(`sp-${i}`, `127.0.0.${220 + i}`));
  }, 90_000);
  afterAll(async () => {
    renewing = false;
    await renewer;
    for (const a of agents) if (a.proc !== undefined) c.signalAgent(a, 'SIGCONT');
    await c?.destroy();
  });

  const leader = (): Promise<ServerProc> => c.waitForLeader();
  const services = async (): Promise<string[]> => {
    const r = await c.rcall<{ services: { name: string }[] }>(await leader(), 'Catalog', 'ListServices', {});
    return r.services.map((s) => s.name).filter((n) => n.startsWith('svc-')).sort();
  };
  const sessionsOn = async (node: string): Promise<number> => (await c.rcall<{ sessions: unknown[] }>(await leader(), 'Sessions', 'List', { node })).sessions.length;
  /** What the leader's /metrics says: the leader is the one that holds back. */
  const preserving = async (): Promise<boolean> => ((await (await fetch(`http://${(await leader()).httpAddr!}/metrics`)).text()).match(/^roster_self_preservation_active (\d)/m)?.[1] ?? '0') === '1';
  const nodeHealth = async (node: string): Promise<string | undefined> =>
    (await c.rcall<{ checks: { id: string; status: string }[] }>(await leader(), 'Catalog', 'NodeServices', { node })).checks.find((ch) => ch.id === 'serfHealth')?.status;

  it('every agent gets a service with a renewed TTL check and a session bound to its node', async () => {
    const l = await leader();
    for (const a of agents) {
      await eventually(`${a.name} in the catalog`, async () => ((await nodeHealth(a.name).catch(() => undefined)) === 'PASSING' ? true : undefined), 20_000);
      await c.rcall(l, 'Catalog', 'Register', { node: { name: a.name, address: '127.0.0.1' }, skipNodeUpdate: true, service: { name: `svc-${a.name}`, id: `svc-${a.name}`, port: 80 }, serviceTtlMs: TTL_MS, serviceDeregisterCriticalAfterMs: DEREGISTER_AFTER_MS });
      await c.rcall(l, 'Sessions', 'Create', { node: a.name, name: `lock-holder-${a.name}` });
    }
    // The applications renew their TTLs while their hosts are reachable (stopped ones cannot).
    renewer = (async () => {
      while (renewing) {
        const l = await leader().catch(() => undefined);
        for (const a of agents) {
          if (stopped.has(a.name) || l === undefined) continue;
          await c.rcall(l, 'Health', 'UpdateTtl', { node: a.name, checkId: `service:svc-${a.name}` }).catch(() => undefined);
        }
        await new Promise((r) => setTimeout(r, 1000));
      }
    })();
    expect(await services()).toHaveLength(9);
    for (const a of agents) expect(await sessionsOn(a.name)).toBe(1);
  });

  const stopped = new Set<string>();

  it('a single agent killed: its session ends and its service is deregistered, as before', async () => {
    const victim = agents[8]!;
    stopped.add(victim.name);
    c.signalAgent(victim, 'SIGKILL');
    await eventually('its member check critical', async () => ((await nodeHealth(victim.name)) === 'CRITICAL' ? true : undefined), 15_000);
    await eventually('its session ended', async () => ((await sessionsOn(victim.name)) === 0 ? true : undefined), 10_000);
    await eventually('its service deregistered', async () => (!(await services()).includes(`svc-${victim.name}`) ? true : undefined), TTL_MS + DEREGISTER_AFTER_MS + 10_000);
    expect(await preserving()).toBe(false);
  });

  it('five of the other eleven stop at once: their checks turn critical, but services and sessions stay until they return', async () => {
    const away = agents.slice(0, 5);
    for (const a of away) {
      stopped.add(a.name);
      c.signalAgent(a, 'SIGSTOP');
    }
    await eventually('self-preservation on', async () => ((await preserving()) ? true : undefined), 20_000);
    await eventually('their member checks critical', async () => ((await Promise.all(away.map((a) => nodeHealth(a.name)))).every((h) => h === 'CRITICAL') ? true : undefined), 20_000);
    // Long past TTL + deregister-after: without self-preservation every one would be gone by now.
    await new Promise((r) => setTimeout(r, TTL_MS + DEREGISTER_AFTER_MS + 3000));
    const left = await services();
    for (const a of away) expect(left).toContain(`svc-${a.name}`);
    for (const a of away) expect(await sessionsOn(a.name)).toBe(1);
    expect(left).toHaveLength(8);
    // Back: the share of failed members drops, self-preservation ends, sessions bound to
    // checks that passed again live on.
    for (const a of away) {
      c.signalAgent(a, 'SIGCONT');
      stopped.delete(a.name);
    }
    await eventually('self-preservation off', async () => ((await preserving()) ? undefined : true), 20_000);
    await eventually('their member checks passing', async () => ((await Promise.all(away.map((a) => nodeHealth(a.name)))).every((h) => h === 'PASSING') ? true : undefined), 20_000);
    // Past the hold after the episode: the sessions of members that came back live on.
    await new Promise((r) => setTimeout(r, HOLD_MS + 1000));
    for (const a of away) expect(await sessionsOn(a.name)).toBe(1);
  });
});
