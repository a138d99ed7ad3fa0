/** The stages of a write on its leader, in order (roster_put_stage_seconds{stage}). */
export type WriteStage = 'queue' | 'persist' | 'replicate' | 'apply' | 'total';

/** When one proposed entry reached each stage (ms, monotonic). */
interface Times {
  readonly proposed: number;
  ready?: number;
  persisted?: number;
  committed?: number;
}

/** Entries followed at once at most: past it the oldest is dropped (a stalled cluster, a flood). */
const MAX_FOLLOWED = 65_536;

/**
 * Where the time of a write goes on its leader, entry by entry: from the proposal to the Ready
 * that carries it (`queue`: waiting for the Raft loop), to its own log write and fsync
 * (`persist`), to its commit (`replicate`: a quorum's acknowledgements), to its application
 * (`apply`), and the whole (`total`). The client's own call is `roster_api_request_seconds`.
 * Entries are followed by index in proposal order; a leader change forgets them (an index may
 * then hold another entry).
 */
export class WriteStages {
  private readonly followed = new Map<number, Times>();

  constructor(
    private readonly now: () => number,
    private readonly observe: (stage: WriteStage, ms: number) => void,
  ) {}

  /** Entries [first, last] proposed here as leader. */
  proposed(first: number, last: number): void {
    const t = this.now();
    for (let i = first; i <= last; i++) this.followed.set(i, { proposed: t });
    while (this.followed.size > MAX_FOLLOWED) this.followed.delete(this.followed.keys().next().value!);
  }

  /** A Ready taken by the Raft loop carries entries [first, last]. */
  ready(first: number, last: number): void {
    if (this.followed.size === 0) return;
    const t = this.now();
    for (let i = first; i <= last; i++) {
      const e = this.followed.get(i);
      if (e !== undefined && e.ready === undefined) e.ready = t;
    }
  }

  /** This server's log write of entries up to `last` is durable. */
  persisted(last: number): void {
    this.mark(last, (e, t) => {
      if (e.ready !== undefined && e.persisted === undefined) e.persisted = t;
    });
  }

  /** Entries up to `last` are committed (handed to the apply pipeline). */
  committed(last: number): void {
    this.mark(last, (e, t) => {
      if (e.committed === undefined) e.committed = t;
    });
  }

  /** Entries up to `last` are applied: their stages are told and they are forgotten. */
  applied(last: number): void {
    if (this.followed.size === 0) return;
    const t = this.now();
    for (const [i, e] of this.followed) {
      if (i > last) break;
      this.followed.delete(i);
      // Told only when every stage was seen (a Ready without the entry means it was not ours).
      if (e.ready === undefined || e.persisted === undefined || e.committed === undefined) continue;
      this.observe('queue', e.ready - e.proposed);
      this.observe('persist', e.persisted - e.ready);
      // A commit can be known before this server's own write ends (a quorum of followers).
      this.observe('replicate', Math.max(0, e.committed - e.persisted));
      this.observe('apply', t - e.committed);
      this.observe('total', t - e.proposed);
    }
  }

  /** The leader changed: what was followed may never apply as proposed. */
  forget(): void {
    this.followed.clear();
  }

  private mark(last: number, set: (e: Times, t: number) => void): void {
    if (this.followed.size === 0) return;
    const t = this.now();
    for (const [i, e] of this.followed) {
      if (i > last) break;
      set(e, t);
    }
  }
}
