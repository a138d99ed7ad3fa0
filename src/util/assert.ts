import { RosterError } from './errors.js';

/**
 * An invariant of our own code. A failure is a bug in Roster, never bad input, so it throws
 * an error with code INVARIANT that nothing should catch and continue from.
 */
export function invariant(condition: unknown, message: string | (() => string)): asserts condition {
  if (!condition) {
    throw new RosterError('INVARIANT', `invariant violated: ${typeof message === 'function' ? message() : message}`);
  }
}

/** Marks a switch as exhaustive: the compiler proves this line unreachable. */
export function unreachable(value: never, what: string): never {
  throw new RosterError('INVARIANT', `unreachable ${what}: ${JSON.stringify(value)}`);
}
