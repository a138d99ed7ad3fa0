import type * as net from 'node:net';
import { splitHostPort } from '../util/host-port.js';

/** A listener that can stop taking connections (a graceful stop) and then close everything. */
export interface ListenerLifecycle {
  readonly stopAccepting: () => void;
  readonly close: () => void;
  readonly port: number;
}

/**
 * Listens on `listen` (host:port) and gives the two-step stop every API listener has:
 * stopAccepting closes the listening socket (and stops following certificate reloads), close
 * also ends what is open (`closeOpen`, once). A failure to listen closes it and rejects; an
 * accept that fails later (EMFILE) is logged, never the process's end.
 */
export async function listenWithLifecycle(listener: net.Server, listen: string, o: { readonly unfollow: () => void; readonly closeOpen: () => void; readonly logError: (err: Error) => void }): Promise<ListenerLifecycle> {
  const { host, port } = splitHostPort(listen);
  let accepting = true;
  const stopAccepting = (): void => {
    if (!accepting) return;
    accepting = false;
    o.unfollow();
    listener.close();
  };
  let open = true;
  const close = (): void => {
    stopAccepting();
    if (!open) return;
    open = false;
    o.closeOpen();
  };
  try {
    await new Promise<void>((resolve, reject) => {
      listener.once('error', reject);
      listener.listen(port, host, () => {
        listener.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    close();
    throw err;
  }
  listener.on('error', o.logError);
  return { stopAccepting, close, port: (listener.address() as net.AddressInfo).port };
}
