import * as dgram from 'node:dgram';
import * as net from 'node:net';
import type { GossipMessage } from '../gossip/messages.js';
import { noteDropped } from '../util/dropped.js';
import type { Logger } from '../util/logger.js';
import { decodeEnvelope, decodeGossip, encodeGossip, gossipOf, WireDrop, type DropReason } from './gossip-wire.js';
import { NO_ENCRYPTION, unwrapIncoming, wrapOutgoing, wrapWith, type GossipEncryption } from './gossip-encryption.js';
import { encodeKeyringAnswer, encodeKeyringAsk, keyringAnswerOf, keyringAskOf, type KeyringAnswer, type KeyringAsk } from './gossip-keyring-wire.js';
import { splitHostPort } from '../util/host-port.js';

export interface GossipTransportOptions {
  /** host:port for both UDP and TCP. */
  readonly bind: string;
  /** The pool's name: packets from another pool are dropped. */
  readonly cluster: string;
  /** Larger messages go over TCP instead of UDP. */
  readonly packetBytes: number;
  readonly logger: Logger;
  /** A message arrived (over UDP, or one-way over TCP). */
  readonly onMessage: (from: string, msg: GossipMessage) => void;
  /** A push-pull request arrived over TCP: the reply to send back on the same connection. */
  readonly onPushPull: (from: string, msg: GossipMessage) => GossipMessage | undefined;
  /** Limits on what peers may make this member hold (defaults: GOSSIP_TCP_LIMITS). */
  readonly limits?: GossipTcpLimits;
  /** Whether and how messages are encrypted (default: not at all). */
  readonly encryption?: GossipEncryption;
  /**
   * A keyring operation arrived (encrypted: plaintext ones are dropped): the answer to send back.
   * Without a handler such requests are dropped.
   */
  readonly onKeyring?: (from: string, ask: KeyringAsk) => Promise<KeyringAnswer>;
}

export interface GossipTcpLimits {
  /** A TCP frame larger than this is refused as soon as its length arrives. */
  readonly maxFrameBytes: number;
  /** Incoming TCP connections served at once; one more is closed at once. */
  readonly maxConnections: number;
}

/**
 * A full state of 10,000 members is about 1 MiB, so 4 MiB frames leave room; memberlist serves
 * 128 push-pulls at once, but 32 already keep the worst case (every connection sending a full
 * frame) to 128 MiB.
 */
export const GOSSIP_TCP_LIMITS: GossipTcpLimits = { maxFrameBytes: 4 * 1024 * 1024, maxConnections: 32 };
const TCP_TIMEOUT_MS = 10_000;

class FrameTooLarge extends Error {}

/**
 * Gossip on the network: one UDP socket for probes and gossip, a TCP listener on the same port
 * for push-pull and for anything too big for one packet. TCP carries one length-prefixed message
 * per connection (and, for push-pull, the reply). A malformed, foreign or other-version packet is
 * dropped and counted by reason; nothing a peer sends can throw out of here.
 *
 * Everything leaves from the member's own address: UDP from the bound socket, TCP connections
 * bound to the same host (an ephemeral port), so a member at 127.0.0.2 is seen as 127.0.0.2 on
 * loopback (where the kernel would otherwise pick 127.0.0.1) and filters on addresses apply.
 */
export class GossipTransport {
  readonly drops: Record<DropReason, number> = { malformed: 0, version: 0, foreign: 0, oversized: 0, busy: 0, undecryptable: 0, plaintext: 0 };
  private closed = false;
  /** Where outgoing TCP connections are bound: the bind host, unless it is a wildcard or a name. */
  private readonly localAddress: string | undefined;
  private incoming = 0;
  private readonly limits: GossipTcpLimits;
  private readonly encryption: GossipEncryption;

  /** Incoming TCP connections being served now. */
  get openConnections(): number {
    return this.incoming;
  }

  private constructor(
    private readonly o: GossipTransportOptions,
    private readonly udp: dgram.Socket,
    private readonly tcp: net.Server,
  ) {
    const { host } = splitHostPort(o.bind);
    this.localAddress = net.isIPv4(host) && host !== '0.0.0.0' ? host : undefined;
    this.limits = o.limits ?? GOSSIP_TCP_LIMITS;
    this.encryption = o.encryption ?? NO_ENCRYPTION;
  }

  static async start(o: GossipTransportOptions): Promise<GossipTransport> {
    const { host, port } = splitHostPort(o.bind);
    const udp = dgram.createSocket('udp4');
    const tcp = net.createServer();
    const t = new GossipTransport(o, udp, tcp);
    udp.on('message', (buf, rinfo) => t.onUdp(buf, `${rinfo.address}:${rinfo.port}`));
    udp.on('error', (err) => o.logger.warn('gossip UDP error', { error: err.message }));
    tcp.on('connection', (sock) => t.onTcp(sock));
    tcp.on('error', (err) => o.logger.warn('gossip TCP error', { error: err.message }));
    await new Promise<void>((resolve, reject) => {
      udp.once('error', reject);
      udp.bind(port, host, () => {
        udp.off('error', reject);
        resolve();
      });
    });
    await new Promise<void>((resolve, reject) => {
      tcp.once('error', reject);
      tcp.listen(port, host, () => {
        tcp.off('error', reject);
        resolve();
      });
    });
    return t;
  }

  /** Sends over UDP, or over TCP when the encoded message exceeds one packet. */
  send(to: string, msg: GossipMessage): void {
    if (this.closed) return;
    const bytes = wrapOutgoing(this.encryption, encodeGossip(this.o.cluster, msg));
    if (bytes.length > this.o.packetBytes) {
      void this.tcpRequest(to, bytes, false).catch((err: unknown) => this.o.logger.debug('gossip TCP send failed', { to, error: String(err) }));
      return;
    }
    const { host, port } = splitHostPort(to);
    this.udp.send(bytes, port, host, (err) => {
      if (err !== null && err !== undefined) this.o.logger.debug('gossip UDP send failed', { to, error: err.message });
    });
  }

  /** A push-pull exchange over TCP: resolves with the peer's reply. */
  async pushPull(to: string, msg: GossipMessage): Promise<GossipMessage> {
    const reply = await this.tcpRequest(to, wrapOutgoing(this.encryption, encodeGossip(this.o.cluster, msg)), true);
    if (reply === undefined) throw new Error(`no push-pull reply from ${to} (does it hold this pool's gossip key?)`);
    const opened = this.unwrap(reply, to);
    if (opened === undefined) throw new Error(`the push-pull reply from ${to} was dropped: it is not encrypted with a key this member holds, or plaintext where encrypted is required`);
    return decodeGossip(this.o.cluster, opened.plain);
  }

  /**
   * Asks the member at `to` to carry out a keyring operation; resolves with its answer. Always
   * encrypted with the primary key (whatever verifyOutgoing says: a key travels in it), and the
   * answer must come back encrypted too.
   */
  async keyringRequest(to: string, from: string, ask: KeyringAsk): Promise<KeyringAnswer> {
    if (this.encryption.keyring === undefined) throw new Error('gossip encryption is not enabled on this member');
    const reply = await this.tcpRequest(to, wrapOutgoing(this.encryption, encodeKeyringAsk(this.o.cluster, from, ask), true), true);
    if (reply === undefined) throw new Error('it closed the connection without an answer (no matching key, or encryption off there)');
    const opened = this.unwrap(reply, to);
    if (opened === undefined || opened.key === undefined) throw new Error('its answer was not encrypted with a key this member holds');
    try {
      return keyringAnswerOf(decodeEnvelope(this.o.cluster, opened.plain));
    } catch (err) {
      this.countDrop(err, to);
      throw err;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await new Promise<void>((r) => this.udp.close(() => r()));
    await new Promise<void>((r) => this.tcp.close(() => r()));
  }

  private onUdp(buf: Buffer, from: string): void {
    const msg = this.decode(buf, from);
    if (msg === undefined) return;
    try {
      this.o.onMessage(from, msg);
    } catch (err) {
      // A good packet the code handling it threw on: logged and counted, never a crash.
      noteDropped(this.o.logger, 'gossip-transport', 'handler-exception', err, { from });
    }
  }

  private decode(buf: Uint8Array, from: string): GossipMessage | undefined {
    const opened = this.unwrap(buf, from);
    if (opened === undefined) return undefined;
    try {
      return decodeGossip(this.o.cluster, opened.plain);
    } catch (err) {
      this.countDrop(err, from);
      return undefined;
    }
  }

  /**
   * Opens what arrived (see gossip-encryption.ts); undefined if it is dropped. An undecryptable
   * or plaintext message is also noted in the process's dropped inputs (roster_dropped_total,
   * site 'gossip'), logged at its 1st, 2nd, 4th... occurrence: a member with the wrong key (or
   * none) is a misconfiguration an operator must see, not only a debug line.
   */
  private unwrap(buf: Uint8Array, from: string): { plain: Uint8Array; key: Uint8Array | undefined } | undefined {
    const u = unwrapIncoming(this.encryption, buf);
    if (u.ok) return u;
    this.drops[u.reason]++;
    const why = u.reason === 'plaintext' ? 'a plaintext message, and this member requires encryption (encrypt_verify_incoming)' : 'an encrypted message no installed key opens (a wrong or missing gossip key)';
    noteDropped(this.o.logger, 'gossip', u.reason, why, { from });
    return undefined;
  }

  private countDrop(err: unknown, from: string): void {
    const reason: DropReason = err instanceof WireDrop ? err.reason : 'malformed';
    this.drops[reason]++;
    this.o.logger.debug('gossip packet dropped', { from, reason, error: err instanceof Error ? err.message : String(err) });
  }

  private onTcp(sock: net.Socket): void {
    const from = `${sock.remoteAddress ?? '?'}:${sock.remotePort ?? 0}`;
    if (this.incoming >= this.limits.maxConnections) {
      this.drops.busy++;
      sock.destroy();
      return;
    }
    this.incoming++;
    // An absolute deadline, not only an idle one: a peer trickling a byte every few seconds
    // would otherwise hold one of the few slots for ever.
    const deadline = setTimeout(() => sock.destroy(), TCP_TIMEOUT_MS);
    sock.once('close', () => {
      clearTimeout(deadline);
      this.incoming--;
    });
    sock.setTimeout(TCP_TIMEOUT_MS, () => sock.destroy());
    sock.on('error', () => sock.destroy());
    readFrame(sock, this.limits.maxFrameBytes)
      .then(
        (frame) => this.onFrame(sock, from, frame),
        (err: unknown) => {
          this.drops[err instanceof FrameTooLarge ? 'oversized' : 'malformed']++;
          sock.destroy();
        },
      )
      // Not a bad packet: the code handling a good one threw. Logged and counted as such.
      .catch((err: unknown) => {
        noteDropped(this.o.logger, 'gossip-transport', 'handler-exception', err, { from });
        sock.destroy();
      });
  }

  private onFrame(sock: net.Socket, from: string, frame: Uint8Array | undefined): Promise<void> | undefined {
    if (frame === undefined) return;
    const opened = this.unwrap(frame, from);
    if (opened === undefined) return void sock.destroy();
    let msg: GossipMessage;
    try {
      const raw = decodeEnvelope(this.o.cluster, opened.plain);
      if (raw.body === 'keyringRequest') return this.onKeyringFrame(sock, from, opened.key, keyringAskOf(raw));
      msg = gossipOf(raw);
    } catch (err) {
      this.countDrop(err, from);
      return void sock.destroy();
    }
    if (msg.type === 'push-pull' && !msg.reply) {
      const reply = this.o.onPushPull(from, msg);
      if (reply !== undefined) sock.end(frameOf(wrapOutgoing(this.encryption, encodeGossip(this.o.cluster, reply))));
      else sock.end();
      return;
    }
    sock.end();
    this.o.onMessage(from, msg);
  }

  /** A keyring request: taken only encrypted (whoever sends one holds a key), answered under the same key. */
  private async onKeyringFrame(sock: net.Socket, from: string, key: Uint8Array | undefined, req: { from: string; ask: KeyringAsk }): Promise<void> {
    if (key === undefined) {
      this.drops.plaintext++;
      noteDropped(this.o.logger, 'gossip', 'plaintext-keyring', 'a keyring request in plaintext (taken only from a member holding a key)', { from, sender: req.from });
      sock.destroy();
      return;
    }
    if (this.o.onKeyring === undefined) {
      noteDropped(this.o.logger, 'gossip', 'keyring-unhandled', 'a keyring request, and this member takes none', { from, sender: req.from });
      sock.destroy();
      return;
    }
    const answer = await this.o.onKeyring(req.from, req.ask);
    sock.end(frameOf(wrapWith(key, encodeKeyringAnswer(this.o.cluster, '', answer))));
  }

  private tcpRequest(to: string, bytes: Uint8Array, wantReply: boolean): Promise<Uint8Array | undefined> {
    const { host, port } = splitHostPort(to);
    return new Promise((resolve, reject) => {
      // IPv4 like the UDP socket, so a peer named by host name resolves to an address the bound host can reach.
      const sock = net.connect(this.localAddress === undefined ? { host, port } : { host, port, localAddress: this.localAddress, family: 4 });
      sock.setTimeout(TCP_TIMEOUT_MS, () => sock.destroy(new Error(`gossip TCP to ${to} timed out`)));
      sock.once('error', reject);
      sock.once('connect', () => {
        sock.write(frameOf(bytes));
        if (!wantReply) {
          sock.end();
          resolve(undefined);
          return;
        }
        readFrame(sock, this.limits.maxFrameBytes).then(resolve, reject);
      });
    });
  }
}

function frameOf(bytes: Uint8Array): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt32BE(bytes.length);
  return Buffer.concat([head, bytes]);
}

/**
 * Reads one length-prefixed frame; undefined if the peer closed before sending one. Chunks are
 * kept as they come and joined once, at the end: concatenating on every chunk costs the square
 * of the frame's size.
 */
function readFrame(sock: net.Socket, maxBytes: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let have = 0;
    let len = -1;
    const onData = (d: Buffer): void => {
      chunks.push(d);
      have += d.length;
      if (len < 0) {
        if (have < 4) return;
        len = (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)).readUInt32BE(0);
        if (len > maxBytes) {
          cleanup();
          reject(new FrameTooLarge(`frame of ${len} bytes is over the limit of ${maxBytes}`));
          return;
        }
      }
      if (have < 4 + len) return;
      cleanup();
      resolve(Buffer.concat(chunks, have).subarray(4, 4 + len));
    };
    const onEnd = (): void => {
      cleanup();
      if (have === 0) resolve(undefined);
      else reject(new Error('connection closed inside a frame'));
    };
    const onError = (err: Error): void => {
      cleanup();
      reject(err);
    };
    const cleanup = (): void => {
      sock.off('data', onData);
      sock.off('end', onEnd);
      sock.off('error', onError);
    };
    sock.on('data', onData);
    sock.on('end', onEnd);
    sock.on('error', onError);
  });
}
