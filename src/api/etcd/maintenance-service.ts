import { ConcurrencyLimit } from '../../util/concurrency-limit.js';
import { hashKv } from '../../store/kv/hash-kv.js';
import type { HashKVRequest__Output } from '../../gen/etcd/etcdserverpb/HashKVRequest.js';
import type { HashKVResponse } from '../../gen/etcd/etcdserverpb/HashKVResponse.js';
import type { HashResponse } from '../../gen/etcd/etcdserverpb/HashResponse.js';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { AlarmResponse } from '../../gen/etcd/etcdserverpb/AlarmResponse.js';
import type { DefragmentResponse } from '../../gen/etcd/etcdserverpb/DefragmentResponse.js';
import type { MoveLeaderRequest__Output } from '../../gen/etcd/etcdserverpb/MoveLeaderRequest.js';
import type { MoveLeaderResponse } from '../../gen/etcd/etcdserverpb/MoveLeaderResponse.js';
import type { StatusResponse } from '../../gen/etcd/etcdserverpb/StatusResponse.js';
import { etcdProto } from '../../proto/etcd-proto.js';
import { RosterError } from '../../util/errors.js';
import { NO_NODE } from '../../util/ids.js';
import type { CallContext } from '../call-context.js';
import type { ForwardCall } from '../routes.js';
import type { ApiSettings, Leadership, Membership, Reads } from '../server-interfaces.js';
import type { HeaderAt } from './response-header.js';
import type { ClusterService } from './cluster-service.js';
import { isPast } from '../../time/deadline.js';
import { VERSION } from '../../util/version.js';

/** A request's int64 revision (a decimal string on the wire), bounded. */
function int64Of(v: string): number {
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 0) throw new RosterError('INVALID_ARGUMENT', `etcdserver: revision must be a non-negative integer, got ${v}`);
  return n;
}

/**
 * The etcd API level Roster implements, reported as Status.version (clients use it to decide
 * which calls they may make; Roster's own version is in the `roster-version` response metadata).
 */
export const ETCD_API_VERSION = '3.4.0';

/** etcd's Maintenance service: Status, MoveLeader, and the calls with nothing to do in Roster. */
export class MaintenanceService {
  private dbSize = { bytes: 0, at: -Infinity };
  /** HashKV reads the whole history: one at a time, a few waiting, the rest refused. */
  private readonly hashing = new ConcurrencyLimit(1, 8, 'etcdserver: too many HashKV requests at once; retry later');

  constructor(
    private readonly b: Leadership & Reads & Membership & ApiSettings,
    private readonly header: HeaderAt,
    private readonly forward: ForwardCall,
    private readonly cluster: ClusterService,
    private readonly memberIdOf: (name: string) => string,
  ) {}

  async status(_req: unknown, ctx: CallContext): Promise<StatusResponse> {
    const st = this.b.status();
    const size = await this.stateBytes();
    ctx.responseMetadata.set('roster-version', process.env.npm_package_version ?? VERSION);
    return {
      header: this.header(this.b.mvcc.revision()),
      version: ETCD_API_VERSION,
      dbSize: String(size),
      leader: st.leader === NO_NODE ? '0' : this.memberIdOf(st.leader),
      raftIndex: String(st.commit),
      raftTerm: String(st.term),
      raftAppliedIndex: String(this.b.appliedIndex()),
      errors: [],
      dbSizeInUse: String(size),
      isLearner: st.conf.learners.includes(st.id),
    };
  }

  /** etcd's HashKV: equal on members at the same revision (src/store/kv/hash-kv.ts). */
  async hashKV(req: HashKVRequest__Output): Promise<HashKVResponse> {
    const r = await this.hashing.run(() => hashKv((fn) => this.b.mvcc.read(fn), int64Of(req.revision)));
    return { header: this.header(this.b.mvcc.revision()), hash: r.hash, compactRevision: String(r.compactRevision), hashRevision: String(r.hashRevision) };
  }

  /** etcd's Hash: here the HashKV of the current revision (the state, not the database file). */
  async hash(): Promise<HashResponse> {
    const r = await this.hashKV({ revision: '0' });
    return { header: r.header, hash: r.hash };
  }

  async moveLeader(req: MoveLeaderRequest__Output, ctx: CallContext): Promise<MoveLeaderResponse> {
    if (!this.b.isLeader()) return this.forward(etcdProto().etcdserverpb.Maintenance.service.MoveLeader, req, ctx);
    const target = this.cluster.nameOf(req.targetID);
    this.b.transferLeadership(target);
    // Wait until leadership moved (or the transfer timed out in the core).
    while (!isPast(ctx.deadline)) {
      await new Promise((r) => setTimeout(r, 20));
      if (this.b.leader() === target) return { header: this.header(0) };
      if (this.b.status().leadTransferee === NO_NODE && this.b.isLeader()) break;
    }
    throw new RosterError('UNAVAILABLE', `etcdserver: leadership transfer to ${target} did not complete`);
  }

  alarm(): Promise<AlarmResponse> {
    return Promise.resolve({ header: this.header(0), alarms: [] });
  }

  defragment(): Promise<DefragmentResponse> {
    // LevelDB compacts its files continuously; there is nothing to defragment.
    return Promise.resolve({ header: this.header(0) });
  }

  /** Bytes of the state database on disk, measured at most every few seconds. */
  private async stateBytes(): Promise<number> {
    if (performance.now() - this.dbSize.at < 5000) return this.dbSize.bytes;
    let total = 0;
    const walk = async (dir: string): Promise<void> => {
      for (const ent of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
        const p = join(dir, ent.name);
        if (ent.isDirectory()) await walk(p);
        else total += (await stat(p).catch(() => ({ size: 0 }))).size;
      }
    };
    await walk(join(this.b.cfg.dataDir, 'state'));
    this.dbSize = { bytes: total, at: performance.now() };
    return total;
  }
}
