import { randomUUID } from 'node:crypto';
import type { AuthenticateRequest__Output } from '../../gen/etcd/etcdserverpb/AuthenticateRequest.js';
import type { AuthenticateResponse } from '../../gen/etcd/etcdserverpb/AuthenticateResponse.js';
import type { AuthRoleGetResponse } from '../../gen/etcd/etcdserverpb/AuthRoleGetResponse.js';
import type { AuthRoleGrantPermissionRequest__Output } from '../../gen/etcd/etcdserverpb/AuthRoleGrantPermissionRequest.js';
import type { AuthRoleRevokePermissionRequest__Output } from '../../gen/etcd/etcdserverpb/AuthRoleRevokePermissionRequest.js';
import type { AuthStatusResponse } from '../../gen/etcd/etcdserverpb/AuthStatusResponse.js';
import type { AuthUserAddRequest__Output } from '../../gen/etcd/etcdserverpb/AuthUserAddRequest.js';
import type { AuthUserChangePasswordRequest__Output } from '../../gen/etcd/etcdserverpb/AuthUserChangePasswordRequest.js';
import type { ResponseHeader } from '../../gen/etcd/etcdserverpb/ResponseHeader.js';
import { etcdAuthError } from '../../store/acl/acl-errors.js';
import { listPolicies, policyByName } from '../../store/acl/acl-reads.js';
import type { AclCommand } from '../../store/acl/commands.js';
import { checkUserName } from '../../store/acl/etcd-auth-commands.js';
import { listUsers, readEtcdAuth, readUser, type UserRecord } from '../../store/acl/etcd-users.js';
import { parseRules } from '../../store/acl/parse-rules.js';
import type { OrderedKvReader } from '../../store/kv/ordered-kv.js';
import { RosterError } from '../../util/errors.js';
import { ConcurrencyLimit } from '../../util/concurrency-limit.js';
import { hashPassword, verifyPassword } from './password-hash.js';
import type { CallContext } from '../call-context.js';
import type { ApiBackend } from '../server-interfaces.js';
import { permissionLevel, permissionsOf, permissionTarget } from './auth-permissions.js';
import type { HeaderAt } from './response-header.js';

/** Longest password hashed (scrypt takes any length; the bound keeps a request's cost fixed). */
const MAX_PASSWORD_BYTES = 1024;
/**
 * scrypt runs on libuv's thread pool, which LevelDB's reads and writes share: a flood of
 * Authenticate calls must not starve the log. At most this many hashes at once, this many
 * waiting; beyond, RESOURCE_EXHAUSTED (the caller retries).
 */
const HASHES_AT_ONCE = 2;
const HASHES_QUEUED = 64;

/**
 * etcd's Auth service over Roster's ACL store (src/store/acl): users are etcd users, roles
 * are ACL policies of the same name, permissions are key rules, and Authenticate's "simple
 * token" is an ACL token's secret, so one check (the API server's) serves both worlds. Writes
 * go through the log; passwords are hashed here, on the server that took the request, and only
 * the hash is proposed.
 */
export class AuthService {
  private readonly hashes = new ConcurrencyLimit(HASHES_AT_ONCE, HASHES_QUEUED, 'roster: too many password checks at once; retry shortly');

  constructor(
    private readonly b: ApiBackend,
    private readonly header: HeaderAt,
  ) {}

  async authEnable(ctx: CallContext): Promise<{ header: ResponseHeader }> {
    return this.write({ type: 'etcdAuthEnable' }, ctx);
  }

  async authDisable(ctx: CallContext): Promise<{ header: ResponseHeader }> {
    return this.write({ type: 'etcdAuthDisable' }, ctx);
  }

  async authStatus(ctx: CallContext): Promise<AuthStatusResponse> {
    const state = await this.read(ctx, (kv) => readEtcdAuth(kv));
    await this.b.access.ready();
    return { header: this.header(this.b.mvcc.revision()), enabled: this.b.access.enabled, authRevision: String(state.revision) };
  }

  async authenticate(req: AuthenticateRequest__Output, ctx: CallContext): Promise<AuthenticateResponse> {
    await this.b.access.ready();
    if (!this.b.access.enabled) throw etcdAuthError('ETCD_AUTH_NOT_ENABLED');
    checkUserName(req.name);
    const user = await this.read(ctx, (kv) => readUser(kv, req.name));
    if (user?.passwordHash === undefined || byteLength(req.password) > MAX_PASSWORD_BYTES || !(await this.hashes.run(() => verifyPassword(req.password, user.passwordHash!)))) {
      throw etcdAuthError('ETCD_AUTH_FAILED');
    }
    const res = await this.b.proposeAcl({ type: 'etcdTokenIssue', name: user.name, passwordHash: user.passwordHash, accessorId: randomUUID(), secretId: randomUUID(), now: Date.now() }, ctx.deadline);
    return { header: this.header(res.revision), token: res.token!.secretId };
  }

  async userAdd(req: AuthUserAddRequest__Output, ctx: CallContext): Promise<{ header: ResponseHeader }> {
    if (req.hashedPassword !== '') throw new RosterError('INVALID_ARGUMENT', 'roster: send the password itself; Roster hashes passwords with its own scheme and takes no client-side hash');
    const noPassword = req.options?.noPassword === true;
    if (!noPassword && req.password === '') throw new RosterError('INVALID_ARGUMENT', 'roster: a user needs a password (or the no-password option)');
    checkUserName(req.name);
    const passwordHash = noPassword ? undefined : await this.hash(req.password);
    return this.write({ type: 'etcdUserAdd', name: req.name, ...(passwordHash !== undefined ? { passwordHash } : {}) }, ctx);
  }

  async userChangePassword(req: AuthUserChangePasswordRequest__Output, ctx: CallContext): Promise<{ header: ResponseHeader }> {
    if (req.hashedPassword !== '') throw new RosterError('INVALID_ARGUMENT', 'roster: send the password itself; Roster takes no client-side hash');
    if (req.password === '') throw new RosterError('INVALID_ARGUMENT', 'roster: the new password is empty');
    checkUserName(req.name);
    return this.write({ type: 'etcdUserPassword', name: req.name, passwordHash: await this.hash(req.password) }, ctx);
  }

  async userGet(name: string, ctx: CallContext): Promise<{ header: ResponseHeader; roles: string[] }> {
    checkUserName(name);
    const user = await this.read(ctx, (kv) => readUser(kv, name));
    if (user === undefined) throw etcdAuthError('ETCD_USER_NOT_FOUND');
    return { header: this.header(this.b.mvcc.revision()), roles: [...user.roles] };
  }

  async userList(ctx: CallContext): Promise<{ header: ResponseHeader; users: string[] }> {
    const users = await this.read(ctx, (kv) => listUsers(kv));
    return { header: this.header(this.b.mvcc.revision()), users: users.map((u: UserRecord) => u.name).sort() };
  }

  async roleGet(name: string, ctx: CallContext): Promise<AuthRoleGetResponse> {
    if (name === '') throw etcdAuthError('ETCD_ROLE_EMPTY');
    const role = await this.read(ctx, (kv) => policyByName(kv, name));
    if (role === undefined) throw etcdAuthError('ETCD_ROLE_NOT_FOUND');
    return { header: this.header(this.b.mvcc.revision()), perm: permissionsOf(parseRules(role.rules)) };
  }

  async roleList(ctx: CallContext): Promise<{ header: ResponseHeader; roles: string[] }> {
    const policies = await this.read(ctx, (kv) => listPolicies(kv));
    return { header: this.header(this.b.mvcc.revision()), roles: policies.map((p) => p.name).sort() };
  }

  async roleGrant(req: AuthRoleGrantPermissionRequest__Output, ctx: CallContext): Promise<{ header: ResponseHeader }> {
    if (req.perm === null) throw etcdAuthError('ETCD_PERMISSION_NOT_GIVEN');
    const target = permissionTarget(req.perm.key, req.perm.rangeEnd);
    return this.write({ type: 'etcdRoleGrant', name: req.name, ...target, level: permissionLevel(req.perm) }, ctx);
  }

  async roleRevoke(req: AuthRoleRevokePermissionRequest__Output, ctx: CallContext): Promise<{ header: ResponseHeader }> {
    return this.write({ type: 'etcdRoleRevoke', name: req.role, ...permissionTarget(req.key, req.rangeEnd) }, ctx);
  }

  /** A command through the log, answered with etcd's header at the revision it applied at. */
  async write(cmd: AclCommand, ctx: CallContext): Promise<{ header: ResponseHeader }> {
    const res = await this.b.proposeAcl(cmd, ctx.deadline);
    return { header: this.header(res.revision) };
  }

  private async hash(password: string): Promise<string> {
    if (byteLength(password) > MAX_PASSWORD_BYTES) throw new RosterError('INVALID_ARGUMENT', `roster: a password is at most ${MAX_PASSWORD_BYTES} bytes`);
    return this.hashes.run(() => hashPassword(password));
  }

  /** A linearizable read of the applied ACL state. */
  private async read<T>(ctx: CallContext, fn: (kv: OrderedKvReader) => Promise<T>): Promise<T> {
    await this.b.readBarrier(ctx.deadline);
    return this.b.mvcc.read((view) => fn(view.kv));
  }
}

function byteLength(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}
