import { PLAINTEXT, tlsDialer, type ClientTls, type Dialer } from '../client/dialer.js';
import { UsageError } from './usage-error.js';
import type { Flags } from './args.js';

/**
 * How the CLI dials: TLS once a CA is given (--ca-file or $ROSTER_CACERT), presenting
 * --cert-file/--key-file where servers require a client certificate, as Consul's CLI does with
 * CONSUL_CACERT, CONSUL_CLIENT_CERT and CONSUL_CLIENT_KEY.
 */
export function cliDialer(flags: Flags, env: NodeJS.ProcessEnv = process.env): Dialer {
  const pick = (flag: string, variable: string): string | undefined => {
    const v = flags[flag];
    if (typeof v === 'string') return v;
    const e = env[variable];
    return e === undefined || e === '' ? undefined : e;
  };
  const caFile = pick('ca-file', 'ROSTER_CACERT');
  const certFile = pick('cert-file', 'ROSTER_CLIENT_CERT');
  const keyFile = pick('key-file', 'ROSTER_CLIENT_KEY');
  const serverName = pick('tls-server-name', 'ROSTER_TLS_SERVER_NAME');
  if (caFile === undefined) {
    if (certFile !== undefined || keyFile !== undefined || serverName !== undefined) throw new UsageError('--cert-file, --key-file and --tls-server-name need --ca-file (or $ROSTER_CACERT): the CA to check the server with');
    return PLAINTEXT;
  }
  if ((certFile === undefined) !== (keyFile === undefined)) throw new UsageError('--cert-file and --key-file go together (or $ROSTER_CLIENT_CERT and $ROSTER_CLIENT_KEY)');
  const t: ClientTls = { caFile, ...(certFile === undefined ? {} : { certFile }), ...(keyFile === undefined ? {} : { keyFile }), ...(serverName === undefined ? {} : { serverName }) };
  return tlsDialer(t);
}
