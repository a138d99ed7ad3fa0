import { z } from 'zod';
import { shown } from './config-error.js';

/*
 * zod building blocks for config JSON whose messages keep the config's wording,
 * `expected WHAT, got VALUE`. The message belongs to the schema, so its checks (an integer's, a
 * minimum) say the same: to an operator, 2.5 and -1 are both not "a non-negative integer".
 */

/** A schema's error parameter: every issue it raises reads `expected WHAT, got VALUE`. */
export function expecting(what: string): { error: (issue: { readonly input?: unknown }) => string } {
  return { error: (issue) => `expected ${what}, got ${shown(issue.input)}` };
}

export const jsonString = z.string(expecting('a string'));

/** A safe integer, 0 or more; `what` names it when it is something more specific (milliseconds). */
export const nonNegativeInt = (what = 'a non-negative integer'): z.ZodNumber => z.int(expecting(what)).nonnegative();

export const stringList = z.array(jsonString, expecting('an array of strings'));

export const stringMap = z.record(z.string(), jsonString, expecting('an object of strings'));

/**
 * An object with exactly the keys of `shape` (each optional or defaulted); `what` names it in
 * errors: `expected a check (an object), got 3`, `unknown key in a check (known: id, name, ...)`.
 */
export function keyedObject<S extends z.core.$ZodShape>(what: string, shape: S): z.ZodObject<S, z.core.$strict> {
  const known = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (issue) => (issue.code === 'unrecognized_keys' ? `unknown key in ${what} (known: ${known})` : `expected ${what} (an object), got ${shown(issue.input)}`),
  });
}
