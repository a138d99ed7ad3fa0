import { execFileSync } from 'node:child_process';
import type { ServerProc } from '../integration/cluster-harness.js';

/**
 * Network partitions between Raft members on loopback, with iptables.
 *
 * Every member listens on its own 127.0.0.x, but the connections it opens come from 127.0.0.1,
 * so a rule on the source address cannot tell who is talking. Members therefore run as distinct
 * user ids (TestCluster's uidBase) and the OUTPUT chain matches the sending socket's owner: to cut
 * A from B, drop what A's processes send to B's peer port and what B's send to A's. Raft messages
 * travel one way on each connection (each member streams to each peer), so that cuts both
 * directions of the Raft traffic, and forwarded writes too. Client ports are never touched: the
 * test's clients (running as root) reach every server, as in Jepsen.
 *
 * All rules live in one chain of our own, jumped to from OUTPUT, so healing is a flush and
 * cleaning up removes exactly what we added.
 */
export class Partitioner {
  private installed = false;
  private current: string | undefined;

  constructor(
    private readonly servers: readonly ServerProc[],
    readonly chain = `ROSTER_NEMESIS_${process.pid}`,
  ) {
    for (const s of servers) if (s.uid === undefined) throw new Error(`server ${s.name} has no uid of its own: start the cluster with uidBase`);
  }

  /** Whether this process can install partitions (root and a working iptables). */
  static available(): { ok: true } | { ok: false; why: string } {
    if (process.getuid?.() !== 0) return { ok: false, why: 'partitions need root (iptables and a user id per member)' };
    // The owner match is a kernel module of its own: try a rule with it in a scratch chain.
    const probe = `ROSTER_PROBE_${process.pid}`;
    try {
      execFileSync('iptables', ['-w', '-N', probe], { stdio: 'pipe' });
      execFileSync('iptables', ['-w', '-A', probe, '-p', 'tcp', '-m', 'owner', '--uid-owner', '0', '-j', 'RETURN'], { stdio: 'pipe' });
      return { ok: true };
    } catch (err) {
      return { ok: false, why: `iptables with the owner match does not work here: ${String(err).split('\n')[0]}` };
    } finally {
      for (const args of [['-F', probe], ['-X', probe]]) {
        try {
          execFileSync('iptables', ['-w', ...args], { stdio: 'pipe' });
        } catch {
          // The chain was never made.
        }
      }
    }
  }

  /** Splits the members into groups that cannot reach each other (members not named stay with none). */
  partition(groups: readonly (readonly ServerProc[])[]): void {
    this.install();
    this.iptables('-F', this.chain);
    const groupOf = new Map<ServerProc, number>();
    groups.forEach((g, i) => g.forEach((s) => groupOf.set(s, i)));
    for (const from of this.servers) {
      for (const to of this.servers) {
        if (from === to || groupOf.get(from) === groupOf.get(to)) continue;
        const [host, port] = splitAddr(to.peerAddr);
        this.iptables('-A', this.chain, '-p', 'tcp', '-d', host, '--dport', port, '-m', 'owner', '--uid-owner', String(from.uid), '-j', 'DROP');
      }
    }
    this.current = groups.map((g) => g.map((s) => s.name).join(',')).join(' | ');
  }

  /** What is cut now ('' when healed). */
  describe(): string {
    return this.current ?? '';
  }

  heal(): void {
    if (!this.installed) return;
    this.iptables('-F', this.chain);
    this.current = undefined;
  }

  /** Removes the chain and the jump to it; safe to call more than once. */
  cleanup(): void {
    if (!this.installed) return;
    this.installed = false;
    this.current = undefined;
    for (const args of [['-D', 'OUTPUT', '-j', this.chain], ['-F', this.chain], ['-X', this.chain]]) {
      try {
        this.iptables(...args);
      } catch {
        // Already gone: cleanup is idempotent.
      }
    }
  }

  private install(): void {
    if (this.installed) return;
    this.iptables('-N', this.chain);
    this.installed = true;
    this.iptables('-I', 'OUTPUT', '1', '-j', this.chain);
  }

  private iptables(...args: string[]): void {
    execFileSync('iptables', ['-w', ...args], { stdio: 'pipe' });
  }
}

function splitAddr(addr: string): [string, string] {
  const i = addr.lastIndexOf(':');
  return [addr.slice(0, i), addr.slice(i + 1)];
}
