import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { OperatorClient } from '../../src/client/operator-client.js';
import type { AgentProc, ServerProc, TestCluster } from './cluster-harness.js';

/** Shared by the gossip encryption tests: the roster CLI, /metrics drop counts, and a watch for false deaths. */

const ROSTER = resolve(import.meta.dirname, '../../bin/roster.mjs');

/** Runs the roster CLI without blocking the test's event loop (load and watchers keep running). */
export function roster(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((res) => {
    execFile(process.execPath, [ROSTER, ...args], { timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : 1;
      res({ code, stdout, stderr });
    });
  });
}

/** roster_dropped_total{site,reason} of one server (0 when it has none). */
export async function droppedOn(s: ServerProc, site: string, reason: string): Promise<number> {
  const text = await (await fetch(`http://${s.httpAddr!}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`roster_dropped_total{site="${site}",reason="${reason}"}`));
  return line === undefined ? 0 : Number(line.split(' ').pop());
}

/** Every member's status as one server's `roster members` shows it. */
export async function membersOf(s: ServerProc): Promise<Map<string, string>> {
  const client = new OperatorClient(s.clientAddr, 3000);
  try {
    return new Map((await client.members()).members.map((m) => [m.name, m.status]));
  } finally {
    client.close();
  }
}

/** Lines where a process declared a member failed (the gossip core's 'failed' event). */
export function failedEvents(procs: readonly (ServerProc | AgentProc)[]): string[] {
  return procs.flatMap((p) => p.log.filter((l) => l.includes('"msg":"gossip member"') && l.includes('"event":"failed"')).map((l) => `${p.name}: ${l}`));
}

/** Lines where a process dropped gossip it could not read (wrong key, or plaintext refused). */
export function gossipDropLines(procs: readonly (ServerProc | AgentProc)[]): string[] {
  return procs.flatMap((p) => p.log.filter((l) => l.includes('gossip: dropped (')).map((l) => `${p.name}: ${l}`));
}

/**
 * Polls every running server's member list and the catalog's serfHealth of each member, and
 * keeps whatever was ever not alive/passing: a false death shows up here or in failedEvents.
 * Unreachable servers are skipped (one may be restarting), not counted.
 */
export class PoolWatch {
  readonly seen = new Set<string>();
  private stopped = false;
  private readonly loop: Promise<void>;

  constructor(
    private readonly c: TestCluster,
    private readonly names: () => readonly string[],
    everyMs = 250,
  ) {
    this.loop = (async () => {
      while (!this.stopped) {
        await this.once().catch(() => undefined);
        await new Promise((r) => setTimeout(r, everyMs));
      }
    })();
  }

  private async once(): Promise<void> {
    for (const s of this.c.running()) {
      const view = await membersOf(s).catch(() => undefined);
      for (const [name, status] of view ?? []) if (status === 'failed' || status === 'left') this.seen.add(`${s.name} saw ${name} ${status}`);
    }
    const leader = this.c.running()[0];
    if (leader === undefined) return;
    for (const name of this.names()) {
      const node = await this.c.rcall<{ checks: { id: string; status: string }[] }>(leader, 'Catalog', 'NodeServices', { node: name, options: { consistency: 'STALE' } }).catch(() => undefined);
      const st = node?.checks.find((ch) => ch.id === 'serfHealth')?.status;
      if (st !== undefined && st !== 'PASSING') this.seen.add(`catalog serfHealth of ${name} ${st}`);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }
}
