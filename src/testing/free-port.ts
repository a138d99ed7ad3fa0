import { createServer } from 'node:net';

/**
 * A TCP port free on `host` now, for a listener the caller binds later. Picked below Linux's
 * ephemeral range (32768 and up): until the caller binds it, an outgoing connection from the
 * same address (gossip dials from its own address) could otherwise be given it as its source
 * port, and the bind would fail. Never handed out twice in this process; another process may
 * still take it first (then the bind fails with EADDRINUSE).
 */
export async function freePort(host: string): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = 10_000 + Math.floor(Math.random() * 22_000);
    const key = `${host}:${port}`;
    if (handedOut.has(key)) continue;
    if (await canListen(host, port)) {
      handedOut.add(key);
      return port;
    }
  }
  throw new Error(`no free port on ${host} below 32000 after 100 tries`);
}

/** Ports freePort gave, by host: never twice. */
const handedOut = new Set<string>();

function canListen(host: string, port: number): Promise<boolean> {
  return new Promise((res) => {
    const s = createServer();
    s.once('error', () => res(false));
    s.listen(port, host, () => s.close(() => res(true)));
  });
}
