import { randomInt } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { GossipConfig } from '../../gossip/config.js';
import { GossipNode, type GossipOutput, type MemberEvent } from '../../gossip/gossip-node.js';
import type { MemberView } from '../../gossip/member-table.js';
import type { GossipMessage, MemberMeta } from '../../gossip/messages.js';
import { GossipTransport } from '../../transport/gossip-transport.js';
import { noteDropped } from '../../util/dropped.js';
import type { Logger } from '../../util/logger.js';
import { monotonicClock } from '../../time/monotonic-clock.js';
import { seededRng } from '../../util/rng.js';
import type { KeyringAsk } from '../../transport/gossip-keyring-wire.js';
import type { EncryptionSettings } from './gossip-flags.js';
import { KEYRING_FANOUT_DEFAULTS, runKeyringOperation, type KeyringOutcome } from './keyring-fanout.js';
import { KeyringMember } from './keyring-member.js';
import { SEALED_OVERHEAD_BYTES } from '../../transport/gossip-crypto.js';
import { openKeyring } from './keyring-store.js';

export interface GossipAgentOptions {
  readonly name: string;
  /** host:port to listen on (UDP and TCP), and the address other members are told. */
  readonly addr: string;
  readonly meta: MemberMeta;
  /** The pool's name; members of other pools are ignored. */
  readonly cluster: string;
  readonly config: GossipConfig;
  /** Gossip addresses to join through; retried until a push-pull with one of them completes. */
  readonly join: readonly string[];
  readonly logger: Logger;
  /** encrypt and its verify settings (default: no encryption). */
  readonly encryption?: EncryptionSettings;
  /** Where the keyring file lives (gossip/local.keyring); without one the keyring is in memory only. */
  readonly dataDir?: string;
}

/**
 * Runs the pure gossip core on the real network and clock: ticks it at its next deadline (at
 * least every 50 ms), hands it what the transport receives, sends what it produces, and emits
 * its membership events ('member'). Joins through the given addresses; the core retries with
 * back-off until a push-pull with one of them completes (as Serf's retry-join), and each failed
 * attempt is logged at info with the seed and the error.
 */
export class GossipAgent extends EventEmitter<{ member: [MemberEvent] }> {
  private timer: NodeJS.Timeout | undefined;
  /** The live servers' API addresses, until the next membership event. */
  private serverAddrs: readonly string[] | undefined;
  private stopped = false;

  private constructor(
    private readonly o: GossipAgentOptions,
    private readonly node: GossipNode,
    private transport: GossipTransport | undefined,
    private readonly keyringMember: KeyringMember,
    /** Whether this member has a gossip keyring (encrypt or a keyring file). */
    readonly encrypted: boolean,
  ) {
    super();
    // Each pending blocking read of the web UI's node list listens (onMemberChange), as many as
    // the agent's HTTP connections; they are removed when the read answers.
    this.setMaxListeners(0);
  }

  static async start(o: GossipAgentOptions): Promise<GossipAgent> {
    const enc = o.encryption ?? { key: undefined, verifyIncoming: true, verifyOutgoing: true };
    const { keyring, persist } = await openKeyring(enc, o.dataDir, o.logger);
    // The core fills packets up to its packet size; sealing adds its framing afterwards, so with
    // a keyring the core is given that much less and a full packet still fits one datagram.
    const coreConfig = keyring === undefined ? o.config : { ...o.config, packetBytes: o.config.packetBytes - SEALED_OVERHEAD_BYTES };
    const node = new GossipNode({ name: o.name, addr: o.addr, meta: o.meta, config: coreConfig, rng: seededRng(randomInt(2 ** 31)), now: monotonicClock.now() });
    const keyringMember = new KeyringMember(keyring, persist, o.logger);
    const agent = new GossipAgent(o, node, undefined, keyringMember, keyring !== undefined);
    agent.transport = await GossipTransport.start({
      bind: o.addr,
      cluster: o.cluster,
      packetBytes: o.config.packetBytes,
      logger: o.logger,
      onMessage: (from, msg) => agent.run(node.receive(from, msg, monotonicClock.now())),
      onPushPull: (from, msg) => agent.answerPushPull(from, msg),
      encryption: { keyring, verifyIncoming: enc.verifyIncoming, verifyOutgoing: enc.verifyOutgoing },
      onKeyring: (asker, ask) => keyringMember.apply(ask, asker),
    });
    agent.schedule();
    // The core retries the join itself until a push-pull with one of the seeds completes.
    agent.run(node.join(o.join, monotonicClock.now()));
    return agent;
  }

  /** Changes this member's metadata; the pool hears of it as news (a higher incarnation). */
  updateMeta(meta: MemberMeta): void {
    this.serverAddrs = undefined;
    this.run(this.node.updateMeta(meta));
  }

  members(): MemberView[] {
    return this.node.members();
  }

  onMemberChange(cb: () => void): () => void {
    this.on('member', cb);
    return () => void this.off('member', cb);
  }

  member(name: string): MemberView | undefined {
    return this.node.member(name);
  }

  /** The gRPC API addresses of the live servers this member knows (where agents send their calls). */
  serverApiAddrs(): readonly string[] {
    // Asked on every call an agent forwards: kept until membership changes, not rebuilt from
    // the whole pool (client agents included) each time.
    this.serverAddrs ??= this.node
      .members()
      .filter((m) => m.meta.role === 'server' && m.state === 'alive' && m.meta.apiAddr !== '')
      .map((m) => m.meta.apiAddr);
    return this.serverAddrs;
  }

  /**
   * Carries out a keyring operation on every alive member of the pool (this one last) and says
   * what each answered (roster keyring; keyring-fanout.ts).
   */
  keyringOperation(ask: KeyringAsk): Promise<KeyringOutcome> {
    const transport = this.transport;
    return runKeyringOperation(
      {
        self: this.o.name,
        members: () => this.node.members(),
        local: (a) => this.keyringMember.apply(a, this.o.name),
        remote: (m, a) => (transport === undefined ? Promise.reject(new Error('gossip is stopped')) : transport.keyringRequest(m.addr, this.o.name, a)),
        ...KEYRING_FANOUT_DEFAULTS,
      },
      ask,
    );
  }

  get drops(): Readonly<Record<string, number>> {
    return this.transport?.drops ?? {};
  }

  get probeFailures(): number {
    return this.node.probeFailures;
  }

  get healthScore(): number {
    return this.node.healthScore;
  }

  /** Rounds of join requests sent to the seeds (the first and every retry). */
  get joinAttempts(): number {
    return this.node.joinAttempts;
  }

  /** True while no push-pull with any of the seeds has completed yet. */
  get joinPending(): boolean {
    return this.node.joinPending;
  }

  /**
   * An operator's join (Consul's /v1/agent/join/ADDR): one push-pull with the member at `addr`,
   * whose answer merges its pool into ours. Rejects with the network's error when it fails.
   */
  async joinAddress(addr: string): Promise<void> {
    const transport = this.transport;
    if (transport === undefined || this.stopped) throw new Error('gossip is stopped');
    const reply = await transport.pushPull(addr, this.node.pushPullRequest());
    this.run(this.node.receive(addr, reply, monotonicClock.now()));
  }

  /**
   * Serf's force-leave of a member held failed: 'left' once declared, 'alive' when the member is
   * not failed here (nothing done), 'unknown' when no member has that name.
   */
  forceLeave(name: string): 'left' | 'alive' | 'unknown' {
    const m = this.node.member(name);
    if (m === undefined || name === this.o.name) return m === undefined ? 'unknown' : 'alive';
    if (m.state === 'left') return 'left';
    if (m.state !== 'dead') return 'alive';
    this.run(this.node.forceLeave(name, monotonicClock.now()));
    this.o.logger.info('member forced to leave', { member: name });
    return 'left';
  }

  /** Tells the pool this member is leaving, waits (up to timeoutMs) for the news to spread, stops. */
  async leave(timeoutMs = 3000): Promise<void> {
    this.run(this.node.leave(monotonicClock.now()));
    const until = monotonicClock.now() + timeoutMs;
    while (this.node.pendingNews > 0 && monotonicClock.now() < until) await new Promise((r) => setTimeout(r, 50));
    await this.stop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    await this.transport?.close();
  }

  private schedule(): void {
    if (this.stopped) return;
    const wait = Math.max(5, Math.min(50, this.node.nextDeadline() - monotonicClock.now()));
    this.timer = setTimeout(() => {
      this.run(this.node.tick(monotonicClock.now()));
      this.schedule();
    }, wait);
  }

  private answerPushPull(from: string, msg: GossipMessage): GossipMessage | undefined {
    const out = this.node.receive(from, msg, monotonicClock.now());
    const reply = out.packets.find((p) => p.to === from && p.msg.type === 'push-pull' && p.msg.reply);
    this.run({ ...out, packets: out.packets.filter((p) => p !== reply) });
    return reply?.msg;
  }

  private run(out: GossipOutput): void {
    if (this.stopped) return;
    if (out.dropped !== undefined) noteDropped(this.o.logger, 'gossip-core', out.dropped.reason, `${out.dropped.count} news or records with an incarnation no real member sends`);
    for (const p of out.packets) {
      if (p.channel === 'udp') this.transport?.send(p.to, p.msg);
      else if (p.msg.type === 'push-pull' && !p.msg.reply) {
        const join = p.msg.join;
        this.transport
          ?.pushPull(p.to, p.msg)
          .then(
            // The reply came on the connection opened to p.to: the core matches it to its seeds by that address.
            (reply) => this.run(this.node.receive(p.to, reply, monotonicClock.now())),
            (err: unknown) => {
              if (join && this.node.joinPending) this.o.logger.info('gossip join attempt failed; retrying', { seed: p.to, attempt: this.node.joinAttempts, error: errorText(err) });
              else this.o.logger.debug('gossip push-pull failed', { to: p.to, error: errorText(err) });
            },
          )
          // Not a network failure: the core threw on the reply. Logged and counted as such.
          .catch((err: unknown) => noteDropped(this.o.logger, 'gossip-agent', 'core-exception', err, { from: p.to }));
      } else this.transport?.send(p.to, p.msg);
    }
    if (out.joinedSeed !== undefined) this.o.logger.info('gossip joined', { seed: out.joinedSeed, attempts: this.node.joinAttempts, members: this.node.members().length });
    if (out.events.length > 0) this.serverAddrs = undefined;
    for (const e of out.events) {
      this.o.logger.info('gossip member', { event: e.type, member: e.member.name, addr: e.member.addr, incarnation: e.member.incarnation });
      this.emit('member', e);
    }
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
