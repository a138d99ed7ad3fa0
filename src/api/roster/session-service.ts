import { randomUUID } from 'node:crypto';
import type { AcquireRequest__Output } from '../../gen/registry/roster/registry/v1/AcquireRequest.js';
import type { CreateSessionRequest__Output } from '../../gen/registry/roster/registry/v1/CreateSessionRequest.js';
import type { GetLockRequest__Output } from '../../gen/registry/roster/registry/v1/GetLockRequest.js';
import type { ListSessionsRequest__Output } from '../../gen/registry/roster/registry/v1/ListSessionsRequest.js';
import type { ReleaseRequest__Output } from '../../gen/registry/roster/registry/v1/ReleaseRequest.js';
import type { SessionInfoRequest__Output } from '../../gen/registry/roster/registry/v1/SessionInfoRequest.js';
import type { SessionRequest__Output } from '../../gen/registry/roster/registry/v1/SessionRequest.js';
import type { AcquireResponse } from '../../gen/registry/roster/registry/v1/AcquireResponse.js';
import type { CreateSessionResponse } from '../../gen/registry/roster/registry/v1/CreateSessionResponse.js';
import type { GetLockResponse } from '../../gen/registry/roster/registry/v1/GetLockResponse.js';
import type { ListSessionsResponse } from '../../gen/registry/roster/registry/v1/ListSessionsResponse.js';
import type { ReleaseResponse } from '../../gen/registry/roster/registry/v1/ReleaseResponse.js';
import type { Session } from '../../gen/registry/roster/registry/v1/Session.js';
import type { SessionResponse } from '../../gen/registry/roster/registry/v1/SessionResponse.js';
import type { WriteResponse } from '../../gen/registry/roster/registry/v1/WriteResponse.js';
import { registryProto } from '../../proto/registry-proto.js';
import type { SessionCreateCommand } from '../../store/registry/commands.js';
import { listSessions, lockState, lockStates, sessionInfo, type LockView } from '../../store/registry/queries.js';
import type { LockState } from '../../gen/registry/roster/registry/v1/LockState.js';

/** Locks one ranged Get answers at most (a KV read's Session and LockIndex are for the keys it returns, bounded by the response size). */
export const LOCKS_PER_ANSWER = 10_000;
import type { Stored } from '../../store/registry/record-io.js';
import type { SessionRecord } from '../../store/registry/records.js';
import { registryError } from '../../store/registry/registry-errors.js';
import { validateRegistryCommand } from '../../store/registry/validate.js';
import { ALLOW_ALL } from '../access/access-rules.js';
import { requireAll } from '../access/registry-access.js';
import type { CallContext } from '../call-context.js';
import type { Proposals, RegistryClocks } from '../server-interfaces.js';
import type { ForwardCall } from '../routes.js';
import { runQuery, type QueryServer } from './query.js';
import { int64In } from './registry-convert.js';

/** Consul's default lock delay. */
export const DEFAULT_LOCK_DELAY_MS = 15_000;

export function sessionOut(s: Stored<SessionRecord>): Session {
  const r = s.record;
  return {
    id: r.id,
    name: r.name,
    node: r.node,
    checks: [...r.checks], // the generated type takes a mutable array
    ttlMs: String(r.ttlMs),
    behavior: r.behavior === 'delete' ? 'DELETE' : 'RELEASE',
    lockDelayMs: String(r.lockDelayMs),
    createRevision: String(s.createRevision),
    modifyRevision: String(s.modRevision),
  };
}

/**
 * Consul's sessions and locks. Creating, destroying, acquiring and releasing are log entries;
 * renewing a TTL session and the lock delay are the leader's (clocks are not replicated), so
 * Renew and Acquire run on the leader and a follower forwards them.
 */
export class SessionService {
  constructor(
    private readonly b: QueryServer & Proposals & RegistryClocks,
    private readonly forward: ForwardCall,
  ) {}

  async create(req: CreateSessionRequest__Output, ctx: CallContext): Promise<CreateSessionResponse> {
    const lockDelay = Number(req.lockDelayMs);
    const cmd: SessionCreateCommand = {
      type: 'sessionCreate',
      id: randomUUID(),
      name: req.name,
      node: req.node,
      checks: req.noChecks ? [] : req.checks.length === 0 ? 'default' : [...req.checks],
      ttlMs: int64In(req.ttlMs, 'ttl_ms'),
      behavior: req.behavior === 'DELETE' ? 'delete' : 'release',
      lockDelayMs: lockDelay === 0 ? DEFAULT_LOCK_DELAY_MS : lockDelay < 0 ? 0 : lockDelay,
    };
    validateRegistryCommand(cmd);
    const res = await this.b.proposeRegistry(cmd, ctx.deadline);
    return { id: cmd.id, revision: String(res.revision) };
  }

  async destroy(req: SessionRequest__Output, ctx: CallContext): Promise<WriteResponse> {
    const cmd = { type: 'sessionDestroy' as const, id: req.id };
    validateRegistryCommand(cmd);
    await this.maySessionWrite(req.id, ctx);
    const res = await this.b.proposeRegistry(cmd, ctx.deadline);
    return { revision: String(res.revision), changed: res.changed };
  }

  async renew(req: SessionRequest__Output, ctx: CallContext): Promise<SessionResponse> {
    await this.maySessionWrite(req.id, ctx);
    if (!this.b.isLeader()) return this.forward(registryProto().roster.registry.v1.Sessions.service.Renew, req, ctx);
    const s = await this.b.registryRuntime.renewSession(req.id, ctx.deadline);
    return { session: sessionOut(s) };
  }

  async info(req: SessionInfoRequest__Output, ctx: CallContext): Promise<SessionResponse> {
    const { value, meta } = await runQuery(this.b, req.options, ctx, async (kv) => ({ value: await sessionInfo(kv, req.id) }));
    if (value === undefined) throw registryError('SESSION_NOT_FOUND', `no session ${req.id}`, { id: req.id });
    requireAll(ctx.authz.sessionRead(value.record.node));
    return { session: sessionOut(value), meta };
  }

  async list(req: ListSessionsRequest__Output, ctx: CallContext): Promise<ListSessionsResponse> {
    const { value, meta } = await runQuery(this.b, req.options, ctx, async (kv) => ({ value: await listSessions(kv, req.node) }));
    return { sessions: value.filter((x) => ctx.authz.sessionRead(x.record.node).allowed).map(sessionOut), meta };
  }

  /** Destroying or renewing a session needs session:write on its node (one that is not there: nothing to protect). */
  private async maySessionWrite(id: string, ctx: CallContext): Promise<void> {
    if (ctx.authz === ALLOW_ALL) return;
    const s = await this.b.mvcc.read((v) => sessionInfo(v.kv, id));
    if (s !== undefined) requireAll(ctx.authz.sessionWrite(s.record.node));
  }

  /**
   * Acquire runs on the leader: a key whose holder's session just ended cannot be taken until
   * its lock delay has passed (acquired false, nothing written), as in Consul.
   */
  async acquire(req: AcquireRequest__Output, ctx: CallContext): Promise<AcquireResponse> {
    if (!this.b.isLeader()) return this.forward(registryProto().roster.registry.v1.Locks.service.Acquire, req, ctx);
    // Read before the check: every session ending at or below this revision has set its delay.
    const delayCheckedAt = this.b.mvcc.revision();
    const cmd = { type: 'lockAcquire' as const, key: new Uint8Array(req.key), value: new Uint8Array(req.value), session: req.session, delayCheckedAt };
    validateRegistryCommand(cmd);
    if (this.b.registryRuntime.lockDelayLeftMs(cmd.key) > 0) {
      const l = await this.b.mvcc.read((v) => lockState(v.kv, cmd.key));
      return { acquired: false, revision: String(this.b.mvcc.revision()), lockIndex: String(l.lockIndex), holder: l.session };
    }
    const res = await this.b.proposeRegistry(cmd, ctx.deadline);
    return { acquired: res.granted === true, revision: String(res.revision), lockIndex: String(res.lockIndex ?? 0), holder: res.holder ?? '' };
  }

  async release(req: ReleaseRequest__Output, ctx: CallContext): Promise<ReleaseResponse> {
    const cmd = { type: 'lockRelease' as const, key: new Uint8Array(req.key), session: req.session };
    validateRegistryCommand(cmd);
    const res = await this.b.proposeRegistry(cmd, ctx.deadline);
    return { released: res.granted === true, revision: String(res.revision) };
  }

  async getLock(req: GetLockRequest__Output, ctx: CallContext): Promise<GetLockResponse> {
    const out = (l: LockView): LockState => ({ key: Buffer.from(l.key), value: Buffer.from(l.value), session: l.session, lockIndex: String(l.lockIndex), modifyRevision: String(l.modRevision), flags: l.flags.toString() });
    if (req.rangeEnd.length > 0) {
      const { value, meta } = await runQuery(this.b, req.options, ctx, async (kv) => ({ value: await lockStates(kv, new Uint8Array(req.key), new Uint8Array(req.rangeEnd), LOCKS_PER_ANSWER) }));
      return { locks: value.map(out), meta };
    }
    const { value, meta } = await runQuery(this.b, req.options, ctx, async (kv) => ({ value: await lockState(kv, new Uint8Array(req.key)) }));
    return { lock: out(value), meta };
  }
}
