import * as grpc from '@grpc/grpc-js';
import { isIP } from 'node:net';
import { ipOfAddress } from './peer-source.js';

/**
 * Outgoing peer connections leave from this server's own peer IP, so that the receiver's source
 * check (peer-source.ts) sees the address the membership holds for us. Without this the kernel
 * picks the source: on a multi-homed host another interface's IP, and on loopback (every test
 * cluster on 127.0.0.x) always 127.0.0.1.
 *
 * grpc-js has no channel option for a local address, but it connects with `net.connect` on the
 * address object its resolver gives, so a resolver of our own (scheme `roster-peer`) hands it
 * `{ host, port, localAddress }`. It resolves IP literals only: a peer at a DNS name is dialled
 * as before, unbound (its receiver cannot compare a name either). test/unit/transport-peer-source
 * checks the source a receiver sees, so a grpc-js that stops honouring it is caught.
 */
const SCHEME = 'roster-peer';
const LOCAL_ADDRESS_OPTION = 'roster.peer_local_address';

class BoundPeerResolver {
  private readonly address: { host: string; port: number; localAddress?: string };

  constructor(
    target: { path: string },
    private readonly listener: grpc.experimental.ResolverListener,
    options: grpc.ChannelOptions,
  ) {
    const i = target.path.lastIndexOf(':');
    const local = options[LOCAL_ADDRESS_OPTION] as string | undefined;
    this.address = { host: target.path.slice(0, i), port: Number(target.path.slice(i + 1)), ...(local === undefined ? {} : { localAddress: local }) };
  }

  updateResolution(): void {
    // Never synchronously (the Resolver contract).
    setImmediate(() => this.listener({ ok: true, value: [{ addresses: [this.address] }] }, {}, null, ''));
  }

  destroy(): void {}

  static getDefaultAuthority(target: { path: string }): string {
    return target.path;
  }
}

let registered = false;

/**
 * The target and channel options of a client to the peer at `address` from a server whose peer
 * address is `selfAddress`: bound to our IP when both hosts are IP literals and ours is no
 * wildcard, otherwise `address` and `options` unchanged.
 */
export function boundPeerTarget(address: string, selfAddress: string | undefined, options: grpc.ChannelOptions): { target: string; options: grpc.ChannelOptions } {
  const local = selfAddress === undefined ? undefined : ipOfAddress(selfAddress);
  const remote = ipOfAddress(address);
  if (local === undefined || remote === undefined || local === '0.0.0.0' || local === '::' || isIP(local) !== isIP(remote) || address.startsWith('[')) return { target: address, options };
  if (!registered) {
    grpc.experimental.registerResolver(SCHEME, BoundPeerResolver);
    registered = true;
  }
  return { target: `${SCHEME}:///${address}`, options: { ...options, [LOCAL_ADDRESS_OPTION]: local } };
}
