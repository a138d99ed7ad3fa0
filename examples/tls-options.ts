/**
 * The examples' TLS settings, for a cluster whose servers and agents require a client
 * certificate (scripts/cluster.sh --tls, docker-compose.yml): --ca-file, --cert-file and
 * --key-file, or the CLI's environment variables ROSTER_CACERT, ROSTER_CLIENT_CERT and
 * ROSTER_CLIENT_KEY. Without a CA the examples dial without TLS.
 */
import type { ClientTls } from '../src/client/index.js';

export const TLS_OPTIONS = {
  'ca-file': { type: 'string' },
  'cert-file': { type: 'string' },
  'key-file': { type: 'string' },
} as const;

/** The SDK's `tls` option from the flags (or the environment), absent when no CA is named. */
export function tlsOption(values: { 'ca-file'?: string; 'cert-file'?: string; 'key-file'?: string }): { tls?: ClientTls } {
  const caFile = values['ca-file'] ?? process.env.ROSTER_CACERT;
  if (caFile === undefined || caFile === '') return {};
  const certFile = values['cert-file'] ?? process.env.ROSTER_CLIENT_CERT;
  const keyFile = values['key-file'] ?? process.env.ROSTER_CLIENT_KEY;
  return { tls: { caFile, ...(certFile === undefined ? {} : { certFile }), ...(keyFile === undefined ? {} : { keyFile }) } };
}
