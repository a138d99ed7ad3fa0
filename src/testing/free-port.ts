import { createServer } from 'node:net';

/**
 * A TCP port free on `host` now: the kernel picks one for a listener that is closed at once.
 * Another process may take it before the caller binds it (then startTestRegistry fails with
 * EADDRINUSE, rarely: the kernel hands ephemeral ports out in turn).
 */
export function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, host, () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
