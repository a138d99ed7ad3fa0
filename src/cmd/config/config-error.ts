import { RosterError } from '../../util/errors.js';

/**
 * A configuration error: where the value came from (a file path, or an environment variable),
 * which field, and what is wrong. The message reads `SOURCE: FIELD: REASON`, e.g.
 * `/etc/roster/agent.json: bootstrap_expect: expected an integer, got "three"`.
 */
export function configError(source: string, field: string | undefined, reason: string): RosterError {
  const where = field === undefined ? source : `${source}: ${field}`;
  return new RosterError('INVALID_CONFIG', `${where}: ${reason}`, { source, ...(field === undefined ? {} : { field }) });
}

/** A JSON value as an error message shows it: `"three"`, `3.5`, `null`, `an array`, `an object`. */
export function shown(v: unknown): string {
  if (Array.isArray(v)) return 'an array';
  if (v !== null && typeof v === 'object') return 'an object';
  if (v === undefined) return 'nothing';
  const text = JSON.stringify(v);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
