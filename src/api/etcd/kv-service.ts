import type { CompactionRequest__Output } from '../../gen/etcd/etcdserverpb/CompactionRequest.js';
import type { CompactionResponse } from '../../gen/etcd/etcdserverpb/CompactionResponse.js';
import type { DeleteRangeResponse } from '../../gen/etcd/etcdserverpb/DeleteRangeResponse.js';
import type { PutResponse } from '../../gen/etcd/etcdserverpb/PutResponse.js';
import type { RangeResponse } from '../../gen/etcd/etcdserverpb/RangeResponse.js';
import type { TxnResponse } from '../../gen/etcd/etcdserverpb/TxnResponse.js';
import type { DeleteRangeRequest__Output } from '../../gen/etcd/etcdserverpb/DeleteRangeRequest.js';
import type { PutRequest__Output } from '../../gen/etcd/etcdserverpb/PutRequest.js';
import type { RangeRequest__Output } from '../../gen/etcd/etcdserverpb/RangeRequest.js';
import type { TxnRequest__Output } from '../../gen/etcd/etcdserverpb/TxnRequest.js';
import type { KvCommand } from '../../store/kv/command.js';
import { isReadOnlyTxn, validateProposal } from '../../store/kv/validate.js';
import { RosterError } from '../../util/errors.js';
import { NO_NODE } from '../../util/ids.js';
import type { KVDefinition } from '../../gen/etcd/etcdserverpb/KV.js';
import type { CallContext } from '../call-context.js';
import type { UnaryHandlers } from '../routes.js';
import type { ApiSettings, Leadership, Proposals, Reads, ServedBy } from '../server-interfaces.js';
import { compactFromProto, deleteFromProto, deleteToProto, putFromProto, putToProto, rangeFromProto, rangeToProto, requestBytes, txnFromProto, txnToProto } from './convert.js';
import { responseHeader, type HeaderAt } from './response-header.js';

/** etcd's default --max-request-bytes: clients depend on the limit and its message. */
export const MAX_REQUEST_BYTES = 1.5 * 1024 * 1024;

/**
 * etcd's KV service. Writes go through Raft on the leader: a follower forwards them there in
 * one hop with the caller's deadline. Linearizable reads run a ReadIndex barrier and then read
 * locally (on any server); serializable reads are local at once, and report how fresh they are.
 */
export class KvService {
  private readonly header: HeaderAt;

  constructor(private readonly b: ServedBy & Leadership & Reads & Proposals & ApiSettings) {
    this.header = responseHeader(b);
  }

  async range(req: RangeRequest__Output, ctx: CallContext): Promise<RangeResponse> {
    const r = rangeFromProto(req);
    if (req.serializable) this.checkStaleness(ctx);
    else await this.b.readBarrier(ctx.deadline);
    const res = await this.b.mvcc.range(r, this.b.cfg.maxResponseBytes);
    this.reportFreshness(ctx, res.revision);
    return rangeToProto(res, this.header, r.keysOnly);
  }

  put(req: PutRequest__Output, ctx: CallContext): Promise<PutResponse> {
    return this.write(ctx, { type: 'put', request: putFromProto(req) }, (res) => putToProto(res, this.header));
  }

  deleteRange(req: DeleteRangeRequest__Output, ctx: CallContext): Promise<DeleteRangeResponse> {
    return this.write(ctx, { type: 'deleteRange', request: deleteFromProto(req) }, (res) => deleteToProto(res, this.header));
  }

  /**
   * A txn that only reads is served like a Range, on this server alone (as etcd does): a
   * ReadIndex barrier unless every range is serializable, then the local state, within the
   * response budget. Only a txn that writes goes through the log.
   */
  async txn(req: TxnRequest__Output, ctx: CallContext): Promise<TxnResponse> {
    const t = txnFromProto(req);
    if (!isReadOnlyTxn(t)) return this.write(ctx, { type: 'txn', request: t }, (res) => txnToProto(res, this.header));
    if (isSerializableTxn(req)) this.checkStaleness(ctx);
    else await this.b.readBarrier(ctx.deadline);
    const res = await this.b.mvcc.readTxn(t, this.b.cfg.maxResponseBytes);
    this.reportFreshness(ctx, res.revision);
    return txnToProto(res, this.header);
  }

  compact(req: CompactionRequest__Output, ctx: CallContext): Promise<CompactionResponse> {
    return this.write(ctx, { type: 'compact', request: compactFromProto(req) }, (res) => ({ header: this.header(res.revision) }));
  }

  /**
   * A write: validated, then proposed through Raft by any server (a follower hands it to the
   * leader on the Raft stream) and answered from this server's own result of applying it.
   */
  private async write<C extends KvCommand, Reply>(
    ctx: CallContext,
    cmd: C,
    toProto: (res: Extract<NonNullable<Awaited<ReturnType<Proposals['proposeKv']>>>, { type: C['type'] }>['response']) => Reply,
  ): Promise<Reply> {
    validateProposal(cmd);
    if ((cmd.type === 'put' || cmd.type === 'deleteRange' || cmd.type === 'txn') && requestBytes(cmd) > MAX_REQUEST_BYTES) {
      throw new RosterError('REQUEST_TOO_LARGE', 'etcdserver: request is too large');
    }
    const res = await this.b.proposeKv(cmd, ctx.deadline);
    if (res === undefined || res.type !== cmd.type) throw new RosterError('INTERNAL', `no ${cmd.type} result`);
    return toProto(res.response as never);
  }

  /** Roster's max-staleness option: refuse a serializable read from a server too long cut off. */
  private checkStaleness(ctx: CallContext): void {
    const raw = ctx.metadata.get('roster-max-staleness-ms')[0];
    if (raw === undefined) return;
    const max = Number(raw);
    if (!Number.isFinite(max) || max < 0) throw new RosterError('INVALID_ARGUMENT', `roster-max-staleness-ms must be a non-negative number, got ${String(raw)}`);
    const since = this.b.leader() === NO_NODE ? Infinity : this.b.msSinceLeaderContact();
    if (since > max) {
      throw new RosterError('STALE', `this server last heard from a leader ${Number.isFinite(since) ? `${since}ms ago` : 'never (no leader)'}, more than roster-max-staleness-ms=${max}`);
    }
  }

  /** Tells the client who served the read and how fresh it is (response metadata). */
  private reportFreshness(ctx: CallContext, revision: number): void {
    const md = ctx.responseMetadata;
    md.set('roster-served-by', this.b.identity.name);
    md.set('roster-applied-revision', String(revision));
    md.set('roster-applied-index', String(this.b.appliedIndex()));
    md.set('roster-leader', this.b.leader());
    md.set('roster-ms-since-leader', String(this.b.leader() === NO_NODE ? -1 : this.b.msSinceLeaderContact()));
  }
}

/** etcd's isTxnSerializable: every op of both branches is a serializable range. */
function isSerializableTxn(req: TxnRequest__Output): boolean {
  // A txn of compares only (a "do I still hold it" check) asked for no stale read: linearizable.
  const ops = [...req.success, ...req.failure];
  return ops.length > 0 && ops.every((o) => o.requestRange?.serializable === true);
}

export function kvHandlers(s: KvService): UnaryHandlers<KVDefinition> {
  return {
    Range: (r, c) => s.range(r, c),
    Put: (r, c) => s.put(r, c),
    DeleteRange: (r, c) => s.deleteRange(r, c),
    Txn: (r, c) => s.txn(r, c),
    Compact: (r, c) => s.compact(r, c),
  };
}
