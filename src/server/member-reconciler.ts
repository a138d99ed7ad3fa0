import type { MemberView } from '../gossip/member-table.js';
import type { RegistryCommand } from '../store/registry/commands.js';
import { DEFAULT_SESSION_CHECK } from '../store/registry/sessions.js';
import type { HealthStatus } from '../store/registry/records.js';
import { validateRegistryCommand } from '../store/registry/validate.js';
import type { Logger } from '../util/logger.js';
import { hostOf } from '../util/host-port.js';
import { checkOf, nodeOf, registerOf } from '../store/registry/builders.js';
import { deadlineIn, type Deadline } from '../time/deadline.js';

/** The node check that stands for gossip's view of a member (Consul's serfHealth). */
export const MEMBER_CHECK_ID = DEFAULT_SESSION_CHECK;

export interface ReconcilerDeps {
  isLeader(): boolean;
  /** The member's catalog node as it stands: its address and the member check's status. */
  catalogNode(name: string): Promise<{ address: string; memberCheck: HealthStatus | undefined } | undefined>;
  propose(cmd: RegistryCommand, deadline: Deadline): Promise<unknown>;
  members(): MemberView[];
  member(name: string): MemberView | undefined;
  /** Self-preservation is on: nothing is removed for a member's failure until it is over. */
  preserving(): boolean;
  /**
   * Every server applies `keepSessions` (features.ts). Until then a failure ends the member's
   * sessions at once, as before: the hold and self-preservation's keeping of sessions wait.
   */
  canKeepSessions(): boolean;
  /** Ends the sessions of `node` bound to checks that are still critical (leader only). */
  endSessionsOf(node: string, deadline: Deadline): Promise<number>;
  /** How long a failed member's sessions live on (SelfPreservationConfig.holdMs). */
  readonly holdMs: number;
  readonly logger: Logger;
}

/**
 * The leader keeps the catalog in line with gossip (Consul's leader reconcile): every member has
 * a catalog node with a member health check, passing while gossip has it alive (or suspect),
 * critical once it has failed, so its services leave healthy queries and watches; a member that
 * left is deregistered with everything on it. It reconciles a member as soon as gossip reports a
 * change, and everyone every `everyMs` (a new leader catches up; a write that failed is retried).
 */
export class MemberReconciler {
  private timer: NodeJS.Timeout | undefined;
  private readonly pending = new Set<string>();
  private running = false;
  /** Failed members whose sessions end when their hold is over. */
  private readonly holds = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly d: ReconcilerDeps,
    private readonly everyMs = 5000,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.reconcileAll(), this.everyMs);
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    for (const t of this.holds.values()) clearTimeout(t);
    this.holds.clear();
  }

  /** Gossip changed its view of `name`: reconcile it now. */
  memberChanged(name: string): void {
    if (!this.d.isLeader()) return; // only the leader writes; a new one reconciles everyone
    this.pending.add(name);
    void this.drain();
  }

  private reconcileAll(): void {
    if (!this.d.isLeader()) return;
    for (const m of this.d.members()) this.pending.add(m.name);
    void this.drain();
  }

  private async drain(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (this.pending.size > 0 && this.d.isLeader()) {
        const [name] = this.pending;
        this.pending.delete(name!);
        const m = this.d.member(name!);
        if (m === undefined) continue;
        try {
          await this.reconcile(m);
        } catch (err) {
          this.d.logger.warn('could not reconcile a gossip member with the catalog (retried on the next round)', { member: m.name, error: err instanceof Error ? err.message : String(err) });
        }
      }
      if (!this.d.isLeader()) this.pending.clear();
    } finally {
      this.running = false;
    }
  }

  private async reconcile(m: MemberView): Promise<void> {
    const node = await this.d.catalogNode(m.name);
    const address = hostOf(m.addr);
    const deadline = deadlineIn(5000);
    if (m.state === 'left') {
      if (node !== undefined) await this.propose({ type: 'deregister', node: m.name, serviceId: '', checkId: '' }, deadline);
      return;
    }
    const status: HealthStatus = m.state === 'dead' ? 'critical' : 'passing';
    // A failure ends the member's sessions only after the hold (see holdSessions).
    const hold = status === 'critical' && this.d.canKeepSessions();
    const keep = hold ? { keepSessions: true } : {};
    if (node !== undefined && node.address === address && node.memberCheck === status) return;
    if (node !== undefined && node.address === address && node.memberCheck !== undefined) {
      await this.propose({ type: 'updateCheck', node: m.name, checkId: MEMBER_CHECK_ID, status, output: outputOf(m), ...keep }, deadline);
      if (hold) this.holdSessions(m.name);
      return;
    }
    const record = nodeOf(m.name, address, { datacenter: m.meta.datacenter, meta: { 'roster-role': m.meta.role } });
    const check = checkOf(m.name, MEMBER_CHECK_ID, { name: 'Roster member health', status, output: outputOf(m), notes: 'gossip: alive, or failed after suspicion', type: 'gossip' });
    await this.propose({ ...registerOf(record, { checks: [check] }), ...keep }, deadline);
    if (hold) this.holdSessions(m.name);
  }

  /**
   * A member's failure ends its sessions `holdMs` later, unless by then gossip shows it alive
   * again or self-preservation holds back (which ends them, if still due, when it is over): the
   * first failures of a partition come before the share that starts self-preservation.
   */
  private holdSessions(name: string): void {
    if (this.holds.has(name)) return;
    const timer = setTimeout(() => {
      this.holds.delete(name);
      // Alive (or suspect) again: nothing to end. Reaped from gossip while held: it is gone.
      const state = this.d.member(name)?.state;
      if (!this.d.isLeader() || this.d.preserving() || state === 'alive' || state === 'suspect') return;
      this.d.endSessionsOf(name, deadlineIn(5000)).catch((err: unknown) => {
        this.d.logger.warn('ending a failed member\'s sessions failed; retried', { member: name, error: err instanceof Error ? err.message : String(err) });
        this.holdSessions(name);
      });
    }, this.d.holdMs);
    timer.unref();
    this.holds.set(name, timer);
  }

  private async propose(cmd: RegistryCommand, deadline: Deadline): Promise<void> {
    validateRegistryCommand(cmd);
    await this.d.propose(cmd, deadline);
    this.d.logger.info('catalog reconciled with gossip', { type: cmd.type, node: cmd.type === 'register' ? cmd.node.name : 'node' in cmd ? cmd.node : '' });
  }
}

function outputOf(m: MemberView): string {
  return m.state === 'dead' ? `member failed (gossip, incarnation ${m.incarnation})` : `member alive (gossip, incarnation ${m.incarnation})`;
}
