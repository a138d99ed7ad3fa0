/** One line saying what went wrong, without gRPC's framing ("14 UNAVAILABLE: No connection established..."). */
export function errorText(err: unknown, server = 'the server'): string {
  const e = err as { details?: unknown; message?: unknown };
  let text = typeof e?.details === 'string' && e.details !== '' ? e.details : typeof e?.message === 'string' ? e.message : String(err);
  text = text.replace(/^\d+ [A-Z_]+: /, '');
  const refused = /No connection established\. Last error: (?:Error: )?(.*?)\.?\s*(?:Resolution note:.*)?$/s.exec(text);
  if (refused !== null) {
    const why = refused[1]!.trim();
    text = why === '' || why === 'null' ? `cannot connect to ${server}` : `cannot connect: ${why}`;
  }
  return text.trim().replace(/\s*\n\s*/g, '; ');
}
