/**
 * The base of every error Roster raises on purpose. `code` is stable and machine-readable: callers
 * and the API layer switch on it (mapping it to gRPC status codes), never on the message text.
 */
export class RosterError extends Error {
  readonly code: string;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: string, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'RosterError';
    this.code = code;
    this.details = details;
  }
}

export function isRosterError(err: unknown, code?: string): err is RosterError {
  return err instanceof RosterError && (code === undefined || err.code === code);
}
