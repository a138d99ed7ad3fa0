import { nodeCheckKey, nodeChecksOf } from '../store/registry/keys.js';
import { readRecord, scanRecords } from '../store/registry/record-io.js';
import type { CheckRecord, HealthStatus } from '../store/registry/records.js';
import type { EndedSession, RegistryCommand, RegistryResponse } from '../store/registry/commands.js';
import { listSessions, sessionInfo } from '../store/registry/queries.js';
import type { Stored } from '../store/registry/record-io.js';
import type { SessionRecord } from '../store/registry/records.js';
import { byteString } from '../store/kv/bytes.js';
import { registryError } from '../store/registry/registry-errors.js';
import { NAMESPACE, namespaceEnd, namespaceStart } from '../store/kv/namespace.js';
import type { OrderedKvReader } from '../store/kv/ordered-kv.js';
import type { StateCommand, StateResponse } from '../store/state-command.js';
import { isRosterError, RosterError } from '../util/errors.js';
import type { Logger } from '../util/logger.js';
import { LeaderDeadlines } from './leader-deadlines.js';
import { deadlineIn, remainingMs, type Deadline } from '../time/deadline.js';

export interface RegistryRuntimeDeps {
  readonly now: () => number;
  readonly extendMs: number;
  readonly checkEveryMs: number;
  readonly isLeader: () => boolean;
  readonly caughtUp: (deadline: Deadline) => Promise<void>;
  readonly appliedCommitted: (deadline: Deadline) => Promise<void>;
  readonly read: <T>(fn: (kv: OrderedKvReader) => Promise<T>) => Promise<T>;
  readonly propose: (cmd: RegistryCommand, deadline: Deadline) => Promise<RegistryResponse>;
  /**
   * True while the leader holds back for a suspected network fault (self-preservation): nothing
   * is deregistered for being critical, no session ends for a check or a TTL (both wait).
   */
  readonly preserving: () => boolean;
  /** Every server applies `keepSessions` (features.ts): only then is it proposed. */
  readonly canKeepSessions: () => boolean;
  readonly logger: Logger;
}

/** Sessions whose checks endHeldSessions looks at in one read. */
const HELD_SESSIONS_PER_READ = 256;

const key = (node: string, checkId: string): string => `${node}\u0000${checkId}`;
const split = (k: string): [string, string] => k.split('\u0000') as [string, string];

/** Should the leader run a TTL clock for this check? Not once it is critical: nothing more can happen. */
const ttlRuns = (c: CheckRecord): boolean => c.type === 'ttl' && c.ttlMs > 0 && c.status !== 'critical';
/** Should the leader count down to deregistering it? While it is critical. */
const reaperRuns = (c: CheckRecord): boolean => c.deregisterCriticalAfterMs > 0 && c.status === 'critical';

/**
 * The registry's clocks, kept by the leader only (LeaderDeadlines): TTL checks turn critical when
 * not renewed in time, checks critical longer than their deregister_critical_after take their
 * service out of the catalog, and TTL sessions end unless renewed. Lock delays are clocks too, but
 * every server keeps them, from the moment it applies a session's end, so a new leader enforces
 * them as well. Both consequences are ordinary log entries; a new leader restarts
 * every clock from its full length plus the extension, so a failover never expires anything early.
 */
export class RegistryRuntime {
  readonly ttl: LeaderDeadlines<string>;
  readonly reaper: LeaderDeadlines<string>;
  /** Session TTLs, by session id. */
  readonly sessions: LeaderDeadlines<string>;
  /** Lock delays by etcd key (byteString), until a local monotonic time: set on every server as sessions end. */
  private readonly lockDelays = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  /** Newest refresh per node: an older read finishing late must not undo a newer one. */
  private readonly refreshSeq = new Map<string, number>();
  private seq = 0;

  constructor(private readonly d: RegistryRuntimeDeps) {
    this.ttl = new LeaderDeadlines<string>(d.now, d.extendMs);
    this.reaper = new LeaderDeadlines<string>(d.now, d.extendMs);
    this.sessions = new LeaderDeadlines<string>(d.now, d.extendMs);
  }

  start(): void {
    this.timer = setInterval(() => this.expire(), this.d.checkEveryMs);
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.ttl.demote();
    this.reaper.demote();
    this.sessions.demote();
  }

  roleChanged(leader: boolean): void {
    if (!leader) {
      this.ttl.demote();
      this.reaper.demote();
      this.sessions.demote();
      return;
    }
    if (this.ttl.isReady && this.reaper.isReady && this.sessions.isReady) return;
    // A previous leader may have held sessions back (self-preservation) and lost its office
    // before the episode ended: this one ends those whose checks stayed critical.
    if (!this.d.preserving()) {
      this.d
        .caughtUp(deadlineIn(10_000))
        .then(() => this.endHeldSessions(deadlineIn(5000)))
        .catch((err: unknown) => this.d.logger.warn('ending sessions held by self-preservation failed', { error: String(err) }));
    }
    let all: CheckRecord[] | undefined;
    const load = async (): Promise<CheckRecord[]> => {
      if (all !== undefined) return all;
      await this.d.caughtUp(deadlineIn(10_000));
      all = await this.d.read(async (kv) => {
        const out: CheckRecord[] = [];
        for await (const c of scanRecords<CheckRecord>(kv, { start: namespaceStart(NAMESPACE.nodeChecks), end: namespaceEnd(NAMESPACE.nodeChecks) }, 'check')) out.push(c.record);
        return out;
      });
      return all;
    };
    const retry = (err: unknown): void => {
      this.d.logger.warn('loading check clocks failed; retrying', { error: String(err) });
      setTimeout(() => {
        if (this.d.isLeader()) this.roleChanged(true);
      }, 200);
    };
    this.ttl.promote(async () => (await load()).filter(ttlRuns).map((c) => [key(c.node, c.id), c.ttlMs] as const)).catch(retry);
    this.reaper.promote(async () => (await load()).filter(reaperRuns).map((c) => [key(c.node, c.id), c.deregisterCriticalAfterMs] as const)).catch(retry);
    this.sessions
      .promote(async () => {
        await this.d.caughtUp(deadlineIn(10_000));
        const all = await this.d.read((kv) => listSessions(kv, ''));
        return all.filter((s) => s.record.ttlMs > 0).map((s) => [s.record.id, s.record.ttlMs] as const);
      })
      .catch(retry);
  }

  /** Sessions that ended as an entry applied (on every server): their locks start their delays. */
  sessionsEnded(ended: readonly EndedSession[]): void {
    const now = this.d.now();
    for (const e of ended) {
      this.sessions.forget(e.id);
      if (e.lockDelayMs <= 0) continue;
      for (const k of e.keys) this.lockDelays.set(byteString(k), now + e.lockDelayMs);
    }
  }

  /** Milliseconds left of the lock delay on an etcd key (0 when none). */
  lockDelayLeftMs(kvKey: Uint8Array): number {
    const k = byteString(kvKey);
    const until = this.lockDelays.get(k);
    if (until === undefined) return 0;
    const left = until - this.d.now();
    if (left <= 0) this.lockDelays.delete(k);
    return Math.max(0, left);
  }

  /** Restarts a TTL session's clock (leader only); NOT_FOUND once it has ended or is ending. */
  async renewSession(id: string, deadline: Deadline): Promise<Stored<SessionRecord>> {
    await this.sessions.whenReady(remainingMs(deadline));
    let found = await this.d.read((kv) => sessionInfo(kv, id));
    if (found === undefined) {
      await this.d.appliedCommitted(deadline);
      found = await this.d.read((kv) => sessionInfo(kv, id));
    }
    if (found === undefined) throw registryError('SESSION_NOT_FOUND', `no session ${id}`, { id });
    if (found.record.ttlMs > 0 && !this.sessions.renew(id)) {
      // Its expiry is on its way through the log, or this leader had not applied its creation.
      if (this.sessions.has(id)) throw registryError('SESSION_NOT_FOUND', `session ${id} has expired`, { id });
      this.sessions.track(id, found.record.ttlMs);
    }
    return found;
  }

  /** An entry applied here: the clocks of the checks it may have touched follow their new state. */
  applied(cmd: StateCommand, res: StateResponse | undefined): void {
    if (!this.d.isLeader()) return;
    switch (cmd.type) {
      case 'register':
      case 'deregister':
        if ((res as RegistryResponse | undefined)?.changed === true) this.refresh(cmd.type === 'register' ? cmd.node.name : cmd.node);
        return;
      case 'updateCheck':
        if ((res as RegistryResponse | undefined)?.changed === true) this.refresh(cmd.node);
        return;
      case 'sessionCreate':
        if (cmd.ttlMs > 0) this.sessions.track(cmd.id, cmd.ttlMs);
        return;
      case 'sessionDestroy':
        this.sessions.forget(cmd.id);
        return;
      default:
        return;
    }
  }

  /**
   * Consul's TTL update (pass, warn, fail): on the leader, restarts the check's clock and, when
   * the status or output changes, writes the change through the log.
   */
  async updateTtl(node: string, checkId: string, status: HealthStatus, output: string, deadline: Deadline): Promise<{ revision: number; ttlMs: number }> {
    await this.ttl.whenReady(remainingMs(deadline));
    let check = await this.d.read((kv) => readRecord<CheckRecord>(kv, nodeCheckKey(node, checkId), 'check'));
    if (check === undefined) {
      // Registered through a follower that answered before this leader applied it.
      await this.d.appliedCommitted(deadline);
      check = await this.d.read((kv) => readRecord<CheckRecord>(kv, nodeCheckKey(node, checkId), 'check'));
    }
    if (check === undefined) throw registryError('CHECK_NOT_FOUND', `no check ${checkId} on node ${node}`, { node, checkId });
    if (check.record.type !== 'ttl') throw new RosterError('FAILED_PRECONDITION', `check ${checkId} on node ${node} is a ${check.record.type} check, not a TTL check`);
    const k = key(node, checkId);
    // Not renewed: unknown to this leader, or its expiry is already proposed. Either way the
    // update goes through the log, so it lands after any expiry and the clock restarts.
    const renewed = status !== 'critical' && this.ttl.renew(k);
    let revision = check.modRevision;
    if (!renewed || check.record.status !== status || check.record.output !== output) {
      revision = (await this.d.propose({ type: 'updateCheck', node, checkId, status, output }, deadline)).revision;
    }
    return { revision, ttlMs: check.record.ttlMs };
  }

  private refresh(node: string): void {
    const mine = ++this.seq;
    this.refreshSeq.set(node, mine);
    this.d
      .read(async (kv) => {
        const out: CheckRecord[] = [];
        for await (const c of scanRecords<CheckRecord>(kv, nodeChecksOf(node), 'check')) out.push(c.record);
        return out;
      })
      .then((checks) => {
        if (this.refreshSeq.get(node) !== mine) return;
        this.refreshSeq.delete(node);
        const present = new Set(checks.map((c) => key(c.node, c.id)));
        for (const c of checks) {
          const k = key(c.node, c.id);
          if (ttlRuns(c)) this.ttl.track(k, c.ttlMs);
          else this.ttl.forget(k);
          if (!reaperRuns(c)) this.reaper.forget(k);
          else if (!this.reaper.has(k)) this.reaper.track(k, c.deregisterCriticalAfterMs);
        }
        for (const k of this.trackedOn(node)) {
          if (!present.has(k)) {
            this.ttl.forget(k);
            this.reaper.forget(k);
          }
        }
      })
      .catch((err: unknown) => this.d.logger.warn('refreshing check clocks failed', { node, error: String(err) }));
  }

  private trackedOn(node: string): string[] {
    return [...this.ttl.keys(), ...this.reaper.keys()].filter((k) => split(k)[0] === node);
  }

  /** The leader's periodic check: TTLs run out, long-critical checks take their service away. */
  private expire(): void {
    if (!this.d.isLeader()) return;
    const deadline = deadlineIn(5000);
    const preserving = this.d.preserving();
    for (const k of this.ttl.due(500)) {
      const [node, checkId] = split(k);
      this.d.propose({ type: 'updateCheck', node, checkId, status: 'critical', output: 'TTL expired', ...(preserving && this.d.canKeepSessions() ? { keepSessions: true } : {}) }, deadline).then(
        () => this.d.logger.info('TTL check expired', { node, check: checkId }),
        (err: unknown) => (isRosterError(err, 'CHECK_NOT_FOUND') ? this.ttl.forget(k) : this.ttl.retry(k)),
      );
    }
    // Held back, the clocks that remove things are not run down: they wait until it ends.
    if (preserving) return;
    for (const k of this.reaper.due(500)) {
      const [node, checkId] = split(k);
      void this.reap(k, node, checkId, deadline);
    }
    for (const id of this.sessions.due(500)) {
      this.d.propose({ type: 'sessionDestroy', id }, deadline).then(
        () => this.d.logger.info('session expired', { session: id }),
        () => this.sessions.retry(id),
      );
    }
  }

  /**
   * The sessions (of `node`, or all) whose bound checks are critical or gone end now, as they
   * would have when the checks failed had nothing held them (a failed member's hold, or
   * self-preservation). Leader only.
   */
  async endHeldSessions(deadline: Deadline, node = ''): Promise<number> {
    if (!this.d.isLeader()) return 0;
    const sessions = await this.d.read((kv) => listSessions(kv, node));
    const doomed: string[] = [];
    // Their checks in small reads: one long read would hold applies back on a new leader.
    for (let i = 0; i < sessions.length; i += HELD_SESSIONS_PER_READ) {
      const chunk = sessions.slice(i, i + HELD_SESSIONS_PER_READ);
      await this.d.read(async (kv) => {
        for (const s of chunk) {
          for (const id of s.record.checks) {
            const check = await readRecord<CheckRecord>(kv, nodeCheckKey(s.record.node, id), 'check');
            if (check === undefined || check.record.status === 'critical') {
              doomed.push(s.record.id);
              break;
            }
          }
        }
      });
    }
    for (const id of doomed) await this.d.propose({ type: 'sessionDestroy', id }, deadline);
    if (doomed.length > 0) this.d.logger.info('self-preservation over: ended the sessions whose checks are still critical', { sessions: doomed.length });
    return doomed.length;
  }

  private async reap(k: string, node: string, checkId: string, deadline: Deadline): Promise<void> {
    try {
      const check = await this.d.read((kv) => readRecord<CheckRecord>(kv, nodeCheckKey(node, checkId), 'check'));
      if (check === undefined || !reaperRuns(check.record)) {
        this.reaper.forget(k);
        return;
      }
      const serviceId = check.record.serviceId;
      await this.d.propose({ type: 'deregister', node, serviceId, checkId: serviceId === '' ? checkId : '' }, deadline);
      this.reaper.forget(k);
      this.d.logger.info('deregistered after being critical too long', { node, check: checkId, service: serviceId });
    } catch (err) {
      this.reaper.retry(k);
      this.d.logger.warn('deregistering a long-critical check failed; will retry', { node, check: checkId, error: String(err) });
    }
  }
}
