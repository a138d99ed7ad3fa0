import { status } from '@grpc/grpc-js';

/** What to do about an ACL refusal, by gRPC code. */
const ACL_HINT: Readonly<Partial<Record<number, string>>> = {
  [status.PERMISSION_DENIED]: 'use a token whose policies allow it: --token, --token-file or $ROSTER_TOKEN',
  [status.UNAUTHENTICATED]: 'the token is unknown, deleted or expired: check --token, --token-file or $ROSTER_TOKEN',
};

/**
 * One line saying what went wrong, without gRPC's framing ("14 UNAVAILABLE: No connection
 * established..."), and for an ACL refusal what to do about it.
 */
export function errorText(err: unknown, server = 'the server'): string {
  const e = err as { details?: unknown; message?: unknown; code?: unknown };
  let text = typeof e?.details === 'string' && e.details !== '' ? e.details : typeof e?.message === 'string' ? e.message : String(err);
  text = text.replace(/^\d+ [A-Z_]+: /, '');
  const refused = /No connection established\. Last error: (?:Error: )?(.*?)\.?\s*(?:Resolution note:.*)?$/s.exec(text);
  if (refused !== null) {
    const why = refused[1]!.trim();
    text = `${why === '' || why === 'null' ? `cannot connect to ${server}` : `cannot connect to ${server}: ${why}`} (is a server running there? start one with \`npm start\` or \`roster agent --server ...\`, or name others with --endpoints)`;
  }
  const hint = typeof e?.code === 'number' ? ACL_HINT[e.code] : undefined;
  if (hint !== undefined) text = `${text.trim()} (${hint})`;
  return text.trim().replace(/\s*\n\s*/g, '; ');
}
