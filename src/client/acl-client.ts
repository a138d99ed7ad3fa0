import * as grpc from '@grpc/grpc-js';
import type { AclClient as AclStub, AclDefinition } from '../gen/roster/roster/acl/v1/Acl.js';
import type { Token__Output } from '../gen/roster/roster/acl/v1/Token.js';
import type { Policy__Output } from '../gen/roster/roster/acl/v1/Policy.js';
import type { TokenRulesReply__Output } from '../gen/roster/roster/acl/v1/TokenRulesReply.js';
import type { MethodName, ReplyOf, RequestOf } from '../proto/grpc-service.js';
import { aclProto } from '../proto/acl-proto.js';
import { unaryCall } from './unary-call.js';
import { PLAINTEXT, type Dialer } from './dialer.js';
import { checkedToken, withToken } from './token-dialer.js';

export type AclToken = Token__Output;
export type AclPolicy = Policy__Output;

/** A policy named by id or by name (a token's link, or the target of a read or delete). */
export interface PolicyRef {
  readonly id?: string;
  readonly name?: string;
}

export interface TokenFields {
  readonly description?: string;
  readonly policies?: readonly PolicyRef[];
  /** Create only: the token stops working this long after it is created. */
  readonly expirationTtlMs?: number;
  /** Create only: a chosen accessor and secret id (UUIDs), as Consul's -accessor and -secret. */
  readonly accessorId?: string;
  readonly secretId?: string;
}

export interface PolicyFields {
  readonly name: string;
  readonly description?: string;
  /** HCL or JSON, as Consul writes rules. */
  readonly rules: string;
}

const link = (p: PolicyRef): { id: string; name: string } => ({ id: p.id ?? '', name: p.name ?? '' });

/**
 * A client for Roster's ACL service (roster.acl.v1.Acl, on any server's client port): Consul's
 * bootstrap, tokens and policies. `token` is the caller's own secret id (acl:read for reads,
 * acl:write for changes; bootstrap needs none).
 */
export class AclClient {
  private readonly client: AclStub;

  constructor(
    endpoint: string,
    private readonly timeoutMs = 10_000,
    dial: Dialer = PLAINTEXT,
    token?: string,
  ) {
    const Ctor = aclProto().roster.acl.v1.Acl;
    const d = withToken(dial, checkedToken(token))(endpoint);
    this.client = new Ctor(endpoint, d.credentials, d.options);
  }

  private unary<M extends MethodName<AclDefinition>>(method: M, req: RequestOf<AclDefinition[M]>): Promise<ReplyOf<AclDefinition[M]>> {
    const def = aclProto().roster.acl.v1.Acl.service[method];
    return unaryCall(this.client, def, req, new grpc.Metadata(), { deadline: Date.now() + this.timeoutMs });
  }

  /** The first management token; refused once done, unless a reset index from the server's data dir is given. */
  async bootstrap(resetIndex = 0): Promise<AclToken> {
    return (await this.unary('Bootstrap', { resetIndex })).token!;
  }

  async tokenCreate(f: TokenFields): Promise<AclToken> {
    const req = { accessorId: f.accessorId ?? '', secretId: f.secretId ?? '', description: f.description ?? '', policies: (f.policies ?? []).map(link), expirationTtlMs: f.expirationTtlMs ?? 0 };
    return (await this.unary('TokenCreate', req)).token!;
  }

  /** Replaces the token's description and policies (read it first to keep what is not changed). */
  async tokenUpdate(accessorId: string, f: Pick<TokenFields, 'description' | 'policies'>): Promise<AclToken> {
    return (await this.unary('TokenUpdate', { accessorId, description: f.description ?? '', policies: (f.policies ?? []).map(link) })).token!;
  }

  /** Whether a token was deleted (false: there was none with that accessor id). */
  async tokenDelete(accessorId: string): Promise<boolean> {
    return (await this.unary('TokenDelete', { accessorId })).changed;
  }

  async tokenRead(accessorId: string): Promise<AclToken> {
    return (await this.unary('TokenRead', { accessorId })).token!;
  }

  /** The caller's own token. */
  async tokenReadSelf(): Promise<AclToken> {
    return (await this.unary('TokenReadSelf', {})).token!;
  }

  /** Every token, without secrets. */
  async tokenList(): Promise<AclToken[]> {
    return (await this.unary('TokenList', {})).tokens;
  }

  /** The caller's token's rules as the servers apply them. */
  tokenRules(): Promise<TokenRulesReply__Output> {
    return this.unary('TokenRules', {});
  }

  async policyCreate(f: PolicyFields): Promise<AclPolicy> {
    return (await this.unary('PolicyCreate', { id: '', name: f.name, description: f.description ?? '', rules: f.rules })).policy!;
  }

  /** Replaces the policy's name, description and rules. */
  async policyUpdate(id: string, f: PolicyFields): Promise<AclPolicy> {
    return (await this.unary('PolicyUpdate', { id, name: f.name, description: f.description ?? '', rules: f.rules })).policy!;
  }

  async policyRead(ref: PolicyRef): Promise<AclPolicy> {
    return (await this.unary('PolicyRead', link(ref))).policy!;
  }

  /** Whether a policy was deleted. */
  async policyDelete(ref: PolicyRef): Promise<boolean> {
    return (await this.unary('PolicyDelete', link(ref))).changed;
  }

  async policyList(): Promise<AclPolicy[]> {
    return (await this.unary('PolicyList', {})).policies;
  }

  close(): void {
    this.client.close();
  }
}
