import * as net from 'node:net';
import type { Probe } from './probe.js';
import { splitHostPort } from '../../util/host-port.js';

/** A TCP check: passing if a connection to host:port opens within the timeout. */
export function tcpProbe(addr: string): Probe {
  const { host, port } = splitHostPort(addr);
  return (timeoutMs) =>
    new Promise((resolve) => {
      const sock = net.connect({ host, port });
      const done = (status: 'passing' | 'critical', output: string): void => {
        sock.destroy();
        resolve({ status, output });
      };
      sock.setTimeout(timeoutMs, () => done('critical', `TCP connect ${addr}: timed out after ${timeoutMs} ms`));
      sock.once('connect', () => done('passing', `TCP connect ${addr}: Success`));
      sock.once('error', (err) => done('critical', `TCP connect ${addr}: ${err.message}`));
    });
}
