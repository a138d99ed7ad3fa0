import * as dgram from 'node:dgram';
import * as dnsPacket from 'dns-packet';
import * as net from 'node:net';
import { splitHostPort } from '../../util/host-port.js';
import type { Logger } from '../../util/logger.js';
import { RCODE, type DnsAnswers, type DnsReply } from './dns-answers.js';

/** Limits that keep a flood of queries from costing more than a bounded amount. */
export const DNS_LIMITS = {
  /** A query larger than this is dropped (queries are a few dozen bytes). */
  maxQueryBytes: 4096,
  /** UDP answers without EDNS (RFC 1035); with EDNS, the client's size up to this. */
  udpDefaultBytes: 512,
  udpMaxBytes: 4096,
  /** Queries being answered at once; more are dropped (a resolver retries). */
  maxInFlight: 1024,
  tcpConnections: 256,
  tcpIdleMs: 10_000,
  recursorTimeoutMs: 2000,
} as const;

export interface DnsServerOptions {
  readonly addr: string;
  readonly answers: DnsAnswers;
  /** host:port (port 53 if omitted) of resolvers for names outside the domain; none: REFUSED. */
  readonly recursors: readonly string[];
  readonly logger: Logger;
}

/** What the server counted (exported as metrics by the agent). */
export interface DnsCounters {
  queries: number;
  dropped: number;
  truncated: number;
  recursed: number;
}

type Query = dnsPacket.DecodedPacket;

/**
 * Consul's DNS interface on an agent: UDP and TCP on one address. Every malformed or oversized
 * query is dropped and counted, never answered with a crash; a UDP answer that does not fit is
 * cut to whole records with the TC bit set, so resolvers (dig) ask again over TCP.
 */
export class DnsServer {
  readonly counters: DnsCounters = { queries: 0, dropped: 0, truncated: 0, recursed: 0 };
  private udp: dgram.Socket | undefined;
  private tcp: net.Server | undefined;
  private inFlight = 0;
  private readonly sockets = new Set<net.Socket>();

  constructor(private readonly o: DnsServerOptions) {}

  async start(): Promise<void> {
    const { host, port } = splitHostPort(this.o.addr);
    const udp = dgram.createSocket(net.isIPv6(host) ? 'udp6' : 'udp4');
    udp.on('message', (msg, rinfo) => {
      void this.handle(msg, DNS_LIMITS.udpDefaultBytes).then((out) => {
        if (out !== undefined) udp.send(out, rinfo.port, rinfo.address);
      });
    });
    udp.on('error', (err) => this.o.logger.warn('dns: udp socket error', { error: err.message }));
    await new Promise<void>((resolve, reject) => {
      udp.once('error', reject);
      udp.bind(port, host, () => {
        udp.off('error', reject);
        resolve();
      });
    });
    this.udp = udp;
    const tcp = net.createServer((sock) => this.serveTcp(sock));
    tcp.maxConnections = DNS_LIMITS.tcpConnections;
    await new Promise<void>((resolve, reject) => {
      tcp.once('error', reject);
      tcp.listen(port, host, () => {
        tcp.off('error', reject);
        resolve();
      });
    });
    this.tcp = tcp;
  }

  close(): void {
    this.udp?.close();
    this.tcp?.close();
    for (const s of this.sockets) s.destroy();
  }

  /** Length-prefixed queries on a TCP connection (RFC 1035 4.2.2), answered in order, never truncated. */
  private serveTcp(sock: net.Socket): void {
    this.sockets.add(sock);
    sock.setTimeout(DNS_LIMITS.tcpIdleMs, () => sock.destroy());
    sock.on('close', () => this.sockets.delete(sock));
    sock.on('error', () => undefined);
    let buf = Buffer.alloc(0);
    let chain = Promise.resolve();
    sock.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      while (buf.length >= 2) {
        const len = buf.readUInt16BE(0);
        if (len > DNS_LIMITS.maxQueryBytes) {
          this.counters.dropped++;
          sock.destroy();
          return;
        }
        if (buf.length < 2 + len) break;
        const msg = buf.subarray(2, 2 + len);
        buf = buf.subarray(2 + len);
        chain = chain.then(async () => {
          const out = await this.handle(msg, 65_535);
          if (out === undefined || sock.destroyed) return;
          const framed = Buffer.alloc(2 + out.length);
          framed.writeUInt16BE(out.length, 0);
          out.copy(framed, 2);
          sock.write(framed);
        });
      }
      if (buf.length > 2 + DNS_LIMITS.maxQueryBytes) sock.destroy();
    });
  }

  /** The encoded answer to one query, or undefined to drop it. */
  private async handle(msg: Buffer, udpLimit: number): Promise<Buffer | undefined> {
    if (msg.length > DNS_LIMITS.maxQueryBytes || this.inFlight >= DNS_LIMITS.maxInFlight) {
      this.counters.dropped++;
      return undefined;
    }
    let query: Query;
    try {
      query = dnsPacket.decode(msg);
    } catch {
      this.counters.dropped++;
      return undefined;
    }
    if (query.type !== 'query') {
      this.counters.dropped++;
      return undefined;
    }
    this.counters.queries++;
    this.inFlight++;
    try {
      return await this.respond(query, msg, udpLimit);
    } catch (err) {
      this.o.logger.warn('dns: could not answer', { error: err instanceof Error ? err.message : String(err) });
      return encodeReply(query, { rcode: RCODE.SERVFAIL, answers: [], authorities: [], additionals: [] }, false, this.o.recursors.length > 0);
    } finally {
      this.inFlight--;
    }
  }

  private async respond(query: Query, raw: Buffer, udpLimit: number): Promise<Buffer> {
    const recursion = this.o.recursors.length > 0;
    const opcode = (query.flags ?? 0) & 0x7800;
    if (opcode !== 0) return encodeReply(query, { rcode: RCODE.NOTIMP, answers: [], authorities: [], additionals: [] }, false, recursion);
    const questions = query.questions ?? [];
    if (questions.length !== 1) return encodeReply(query, { rcode: RCODE.FORMERR, answers: [], authorities: [], additionals: [] }, false, recursion);
    const q = questions[0]!;
    const reply = await this.o.answers.answer(q.name, q.type);
    if (reply === undefined) {
      if (recursion) {
        const forwarded = await this.recurse(raw);
        if (forwarded !== undefined) {
          this.counters.recursed++;
          return forwarded;
        }
        return encodeReply(query, { rcode: RCODE.SERVFAIL, answers: [], authorities: [], additionals: [] }, false, true);
      }
      return encodeReply(query, { rcode: RCODE.REFUSED, answers: [], authorities: [], additionals: [] }, false, false);
    }
    const edns = (query.additionals ?? []).find((a): a is dnsPacket.OptAnswer => a.type === 'OPT');
    const limit = udpLimit >= 65_535 ? udpLimit : edns !== undefined ? Math.max(DNS_LIMITS.udpDefaultBytes, Math.min(edns.udpPayloadSize, DNS_LIMITS.udpMaxBytes)) : udpLimit;
    return this.fit(query, reply, limit, edns !== undefined, recursion);
  }

  /** The reply cut to whole records until it fits `limit`, TC set when anything was cut. */
  private fit(query: Query, reply: DnsReply, limit: number, edns: boolean, recursion: boolean): Buffer {
    const answers = [...reply.answers];
    let additionals = [...reply.additionals];
    let truncated = false;
    for (;;) {
      const out = encodeReply(query, { ...reply, answers, additionals }, truncated, recursion, edns);
      if (out.length <= limit || (answers.length === 0 && additionals.length === 0)) {
        if (truncated) this.counters.truncated++;
        return out;
      }
      truncated = true;
      if (additionals.length > 0) additionals = [];
      else answers.pop();
    }
  }

  /** The first recursor's answer to the raw query, or undefined when none answers in time. */
  private async recurse(raw: Buffer): Promise<Buffer | undefined> {
    for (const r of this.o.recursors) {
      const { host, port } = r.includes(':') && !r.startsWith('[') && r.split(':').length === 2 ? splitHostPort(r) : { host: r.replace(/^\[|\]$/g, ''), port: 53 };
      const out = await new Promise<Buffer | undefined>((resolve) => {
        const sock = dgram.createSocket(net.isIPv6(host) ? 'udp6' : 'udp4');
        const timer = setTimeout(() => finish(undefined), DNS_LIMITS.recursorTimeoutMs);
        const finish = (b: Buffer | undefined): void => {
          clearTimeout(timer);
          sock.close();
          resolve(b);
        };
        sock.on('message', (m) => finish(m));
        sock.on('error', () => finish(undefined));
        sock.send(raw, port, host);
      });
      if (out !== undefined) return out;
    }
    return undefined;
  }
}

function encodeReply(query: Query, reply: DnsReply, truncated: boolean, recursion: boolean, edns = false): Buffer {
  const rd = (query.flags ?? 0) & dnsPacket.RECURSION_DESIRED;
  const flags = dnsPacket.AUTHORITATIVE_ANSWER | rd | (recursion ? dnsPacket.RECURSION_AVAILABLE : 0) | (truncated ? dnsPacket.TRUNCATED_RESPONSE : 0) | (reply.rcode & 0xf);
  return dnsPacket.encode({
    type: 'response',
    id: query.id ?? 0,
    flags,
    questions: query.questions ?? [],
    answers: reply.answers,
    authorities: reply.authorities,
    additionals: edns ? [...reply.additionals, { type: 'OPT', name: '.', udpPayloadSize: DNS_LIMITS.udpMaxBytes, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] } as unknown as dnsPacket.Answer] : reply.additionals,
  });
}
