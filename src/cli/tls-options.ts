import { readFileSync } from 'node:fs';
import { PLAINTEXT, tlsDialer, type ClientTls, type Dialer } from '../client/dialer.js';
import { checkedToken, withToken } from '../client/token-dialer.js';
import { UsageError } from './usage-error.js';
import type { Flags } from './args.js';

const pickOf = (flags: Flags, env: NodeJS.ProcessEnv, flag: string, variable: string): string | undefined => {
  const v = flags[flag];
  if (typeof v === 'string') return v;
  const e = env[variable];
  return e === undefined || e === '' ? undefined : e;
};

/**
 * The ACL token the CLI sends: --token, else the first line of --token-file, else $ROSTER_TOKEN,
 * else $ROSTER_TOKEN_FILE's (Consul's -token, -token-file, CONSUL_HTTP_TOKEN and
 * CONSUL_HTTP_TOKEN_FILE). Undefined for none: the anonymous token.
 */
export function cliToken(flags: Flags, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const fromFile = (file: string, what: string): string => {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new UsageError(`cannot read the token file ${file} (${what}): ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
    const token = text.split('\n')[0]!.trim();
    if (token === '') throw new UsageError(`the token file ${file} (${what}) is empty`);
    return token;
  };
  const flagToken = typeof flags.token === 'string' ? flags.token : undefined;
  const flagFile = typeof flags['token-file'] === 'string' ? flags['token-file'] : undefined;
  if (flagToken !== undefined && flagFile !== undefined) throw new UsageError('give --token or --token-file, not both');
  const set = (v: string | undefined): string | undefined => (v === undefined || v === '' ? undefined : v);
  const envFile = set(env.ROSTER_TOKEN_FILE);
  const chosen = flagToken ?? (flagFile === undefined ? undefined : fromFile(flagFile, '--token-file')) ?? set(env.ROSTER_TOKEN) ?? (envFile === undefined ? undefined : fromFile(envFile, '$ROSTER_TOKEN_FILE'));
  try {
    return checkedToken(chosen);
  } catch (err) {
    throw new UsageError(`${(err as Error).message} (--token, --token-file or $ROSTER_TOKEN)`);
  }
}

/**
 * How the CLI dials: with its ACL token (cliToken) on every call, and over TLS once a CA is given
 * (--ca-file or $ROSTER_CACERT), presenting --cert-file/--key-file where servers require a
 * client certificate, as Consul's CLI does with CONSUL_CACERT, CONSUL_CLIENT_CERT and
 * CONSUL_CLIENT_KEY.
 */
export function cliDialer(flags: Flags, env: NodeJS.ProcessEnv = process.env): Dialer {
  return withToken(tlsOf(flags, env), cliToken(flags, env));
}

function tlsOf(flags: Flags, env: NodeJS.ProcessEnv): Dialer {
  const pick = (flag: string, variable: string): string | undefined => pickOf(flags, env, flag, variable);
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
