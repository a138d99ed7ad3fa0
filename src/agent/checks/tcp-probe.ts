import * as net from 'node:net';
import type { Probe } from './probe.js';
import { splitHostPort } from '../../util/host-port.js';
import { ANY_TARGET, type CheckTargetPolicy } from './check-targets.js';

/** A TCP check: passing if a connection to host:port opens within the timeout (and `targets` allow the address dialled). */
export function tcpProbe(addr: string, targets: CheckTargetPolicy = ANY_TARGET): Probe {
  const { host, port } = splitHostPort(addr);
  return (timeoutMs) =>
    new Promise((resolve) => {
      const refused = targets.refusal(host);
      if (refused !== undefined) return resolve({ status: 'critical', output: `TCP connect ${addr}: ${refused}` });
      const sock = net.connect({ host, port, lookup: targets.lookup });
      const done = (status: 'passing' | 'critical', output: string): void => {
        sock.destroy();
        resolve({ status, output });
      };
      sock.setTimeout(timeoutMs, () => done('critical', `TCP connect ${addr}: timed out after ${timeoutMs} ms`));
      sock.once('connect', () => done('passing', `TCP connect ${addr}: Success`));
      sock.once('error', (err) => done('critical', `TCP connect ${addr}: ${err.message}`));
    });
}
