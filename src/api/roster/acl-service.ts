import { randomUUID } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { AclWriteReply } from '../../gen/roster/roster/acl/v1/AclWriteReply.js';
import type { BootstrapRequest__Output } from '../../gen/roster/roster/acl/v1/BootstrapRequest.js';
import type { Policy } from '../../gen/roster/roster/acl/v1/Policy.js';
import type { PolicyIdRequest__Output } from '../../gen/roster/roster/acl/v1/PolicyIdRequest.js';
import type { PolicyListReply } from '../../gen/roster/roster/acl/v1/PolicyListReply.js';
import type { PolicyReply } from '../../gen/roster/roster/acl/v1/PolicyReply.js';
import type { PolicyWriteRequest__Output } from '../../gen/roster/roster/acl/v1/PolicyWriteRequest.js';
import type { Token } from '../../gen/roster/roster/acl/v1/Token.js';
import type { TokenIdRequest__Output } from '../../gen/roster/roster/acl/v1/TokenIdRequest.js';
import type { TokenListReply } from '../../gen/roster/roster/acl/v1/TokenListReply.js';
import type { TokenReply } from '../../gen/roster/roster/acl/v1/TokenReply.js';
import type { TokenWriteRequest__Output } from '../../gen/roster/roster/acl/v1/TokenWriteRequest.js';
import { aclError } from '../../store/acl/acl-errors.js';
import { listPolicies, listTokens, policiesOf, policyByName, readPolicy, readToken, tokenBySecret } from '../../store/acl/acl-reads.js';
import type { AclResponse, PolicyLink } from '../../store/acl/commands.js';
import { ACL_NOT_FOUND } from '../../store/acl/token-resolver.js';
import { ANONYMOUS_TOKEN_SECRET_ID, GLOBAL_MANAGEMENT_POLICY_ID, type PolicyRecord, type TokenRecord } from '../../store/acl/records.js';
import type { TokenRulesReply } from '../../gen/roster/roster/acl/v1/TokenRulesReply.js';
import type { OrderedKvReader } from '../../store/kv/ordered-kv.js';
import { RosterError } from '../../util/errors.js';
import { callerSecret } from '../access/caller-token.js';
import type { CallContext } from '../call-context.js';
import type { AccessControl, ApiSettings, Proposals, Reads } from '../server-interfaces.js';

/** The file an operator writes a reset index into, on the server it bootstraps again through (Consul's acl-bootstrap-reset). */
export const BOOTSTRAP_RESET_FILE = 'acl-bootstrap-reset';

type AclServer = AccessControl & Proposals & Reads & ApiSettings;

/**
 * Consul's ACL endpoints over gRPC. Writes go through the log (ids drawn here, times from this
 * server's clock, carried in the command so every server applies the same); reads are
 * linearizable. Secrets come back only from bootstrap, create and a read by acl:read, as Consul.
 */
export class AclService {
  constructor(private readonly b: AclServer) {}

  async bootstrap(req: BootstrapRequest__Output, ctx: CallContext): Promise<TokenReply> {
    if (!this.b.access.enabled) throw new RosterError('ACL_DISABLED', 'ACL support disabled: start the servers with --acl-enabled');
    const fromFile = await this.resetIndexFile();
    const resetIndex = req.resetIndex > 0 ? req.resetIndex : fromFile;
    const res = await this.b.proposeAcl({ type: 'aclBootstrap', accessorId: randomUUID(), secretId: randomUUID(), now: Date.now(), ...(resetIndex === undefined ? {} : { resetIndex }) }, ctx.deadline);
    // Used once: a later bootstrap needs the new reset index.
    if (fromFile !== undefined) await rm(join(this.b.cfg.dataDir, BOOTSTRAP_RESET_FILE), { force: true });
    return this.tokenReply(res, true);
  }

  async tokenCreate(req: TokenWriteRequest__Output, ctx: CallContext): Promise<TokenReply> {
    const now = Date.now();
    const res = await this.b.proposeAcl(
      {
        type: 'aclTokenUpsert',
        accessorId: req.accessorId === '' ? randomUUID() : req.accessorId,
        secretId: req.secretId === '' ? randomUUID() : req.secretId,
        description: req.description,
        policies: links(req),
        local: req.local,
        now,
        ...(req.expirationTtlMs > 0 ? { expirationTime: now + req.expirationTtlMs } : {}),
      },
      ctx.deadline,
    );
    return this.tokenReply(res, true);
  }

  async tokenUpdate(req: TokenWriteRequest__Output, ctx: CallContext): Promise<TokenReply> {
    const existing = await this.read(ctx, (kv) => readToken(kv, req.accessorId));
    if (existing === undefined) throw aclError('ACL_TOKEN_NOT_FOUND', `no token with accessor id ${req.accessorId}`);
    const res = await this.b.proposeAcl(
      { type: 'aclTokenUpsert', accessorId: existing.accessorId, secretId: existing.secretId, description: req.description, policies: links(req), local: existing.local, now: Date.now(), ...(existing.expirationTime === undefined ? {} : { expirationTime: existing.expirationTime }) },
      ctx.deadline,
    );
    return this.tokenReply(res, true);
  }

  async tokenDelete(req: TokenIdRequest__Output, ctx: CallContext): Promise<AclWriteReply> {
    const res = await this.b.proposeAcl({ type: 'aclTokenDelete', accessorId: req.accessorId }, ctx.deadline);
    return { revision: res.revision, changed: res.changed };
  }

  async tokenRead(req: TokenIdRequest__Output, ctx: CallContext): Promise<TokenReply> {
    const token = await this.read(ctx, (kv) => readToken(kv, req.accessorId));
    if (token === undefined) throw aclError('ACL_TOKEN_NOT_FOUND', `no token with accessor id ${req.accessorId}`);
    return { token: await this.tokenOut(token, true), revision: this.b.mvcc.revision() };
  }

  async tokenReadSelf(ctx: CallContext): Promise<TokenReply> {
    const secret = callerSecret(ctx.metadata);
    const token = await this.read(ctx, (kv) => tokenBySecret(kv, secret === '' ? 'anonymous' : secret));
    if (token === undefined) throw new RosterError(ACL_NOT_FOUND, 'ACL not found');
    return { token: await this.tokenOut(token, true), revision: this.b.mvcc.revision() };
  }

  /** The caller's own rules (the API server has already resolved its token: it is live). */
  async tokenRules(ctx: CallContext): Promise<TokenRulesReply> {
    if (!this.b.access.enabled) return { enabled: false, management: true, defaultPolicy: 'allow', rules: [] };
    const secret = callerSecret(ctx.metadata);
    const found = await this.b.mvcc.read(async (view) => {
      const token = await tokenBySecret(view.kv, secret === '' ? ANONYMOUS_TOKEN_SECRET_ID : secret);
      return token === undefined ? [] : policiesOf(view.kv, token);
    });
    return { enabled: true, management: found.some((p) => p.id === GLOBAL_MANAGEMENT_POLICY_ID), defaultPolicy: this.b.access.defaultPolicy, rules: found.map((p) => p.rules) };
  }

  async tokenList(ctx: CallContext): Promise<TokenListReply> {
    const tokens = await this.read(ctx, (kv) => listTokens(kv));
    return { tokens: await Promise.all(tokens.map((t) => this.tokenOut(t, false))) };
  }

  async policyCreate(req: PolicyWriteRequest__Output, ctx: CallContext): Promise<PolicyReply> {
    return this.policyReply(await this.b.proposeAcl({ type: 'aclPolicyUpsert', id: randomUUID(), name: req.name, description: req.description, rules: req.rules }, ctx.deadline));
  }

  async policyUpdate(req: PolicyWriteRequest__Output, ctx: CallContext): Promise<PolicyReply> {
    const existing = await this.read(ctx, (kv) => readPolicy(kv, req.id));
    if (existing === undefined) throw aclError('ACL_POLICY_NOT_FOUND', `no policy with id ${req.id}`);
    return this.policyReply(await this.b.proposeAcl({ type: 'aclPolicyUpsert', id: req.id, name: req.name === '' ? existing.name : req.name, description: req.description, rules: req.rules }, ctx.deadline));
  }

  async policyDelete(req: PolicyIdRequest__Output, ctx: CallContext): Promise<AclWriteReply> {
    const id = req.id !== '' ? req.id : (await this.read(ctx, (kv) => policyByName(kv, req.name)))?.id;
    if (id === undefined) throw aclError('ACL_POLICY_NOT_FOUND', `no policy named ${req.name}`);
    const res = await this.b.proposeAcl({ type: 'aclPolicyDelete', id }, ctx.deadline);
    return { revision: res.revision, changed: res.changed };
  }

  async policyRead(req: PolicyIdRequest__Output, ctx: CallContext): Promise<PolicyReply> {
    const p = await this.read(ctx, (kv) => (req.id !== '' ? readPolicy(kv, req.id) : policyByName(kv, req.name)));
    if (p === undefined) throw aclError('ACL_POLICY_NOT_FOUND', req.id !== '' ? `no policy with id ${req.id}` : `no policy named ${req.name}`);
    return { policy: policyOut(p), revision: this.b.mvcc.revision() };
  }

  async policyList(ctx: CallContext): Promise<PolicyListReply> {
    return { policies: (await this.read(ctx, (kv) => listPolicies(kv))).map(policyOut) };
  }

  /** A linearizable read of the applied ACL state. */
  private async read<T>(ctx: CallContext, fn: (kv: OrderedKvReader) => Promise<T>): Promise<T> {
    await this.b.readBarrier(ctx.deadline);
    return this.b.mvcc.read((view) => fn(view.kv));
  }

  /** The reset index an operator wrote to this server's data dir, if any (Consul's reset procedure). */
  private async resetIndexFile(): Promise<number | undefined> {
    let text: string;
    try {
      text = await readFile(join(this.b.cfg.dataDir, BOOTSTRAP_RESET_FILE), 'utf8');
    } catch {
      return undefined;
    }
    const n = Number(text.trim());
    if (!Number.isSafeInteger(n) || n <= 0) throw new RosterError('INVALID_ARGUMENT', `${BOOTSTRAP_RESET_FILE} must hold the reset index (a positive integer), got ${JSON.stringify(text.trim().slice(0, 40))}`);
    return n;
  }

  private async tokenReply(res: AclResponse, withSecret: boolean): Promise<TokenReply> {
    return { token: await this.tokenOut(res.token!, withSecret), revision: res.revision };
  }

  private policyReply(res: AclResponse): PolicyReply {
    return { policy: policyOut(res.policy!), revision: res.revision };
  }

  /** A token with its policies named (a deleted one is left out, as it grants nothing). */
  private async tokenOut(t: TokenRecord, withSecret: boolean): Promise<Token> {
    const named = await this.b.mvcc.read(async (view) => {
      const out: { id: string; name: string }[] = [];
      for (const id of t.policies) {
        const p = await readPolicy(view.kv, id);
        if (p !== undefined) out.push({ id, name: p.name });
      }
      return out;
    });
    return {
      accessorId: t.accessorId,
      secretId: withSecret ? t.secretId : '',
      description: t.description,
      policies: named,
      local: t.local,
      expirationTimeMs: t.expirationTime ?? 0,
      createIndex: t.createIndex,
      createTimeMs: t.createTime,
    };
  }
}

function links(req: TokenWriteRequest__Output): PolicyLink[] {
  return req.policies.map((p) => ({ ...(p.id === '' ? {} : { id: p.id }), ...(p.name === '' ? {} : { name: p.name }) }));
}

function policyOut(p: PolicyRecord): Policy {
  return { id: p.id, name: p.name, description: p.description, rules: p.rules, createIndex: p.createIndex };
}
