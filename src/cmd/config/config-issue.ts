import type { z } from 'zod';
import { formatFieldPath } from '../../agent/local/service-definition.js';
import type { RosterError } from '../../util/errors.js';
import { configError } from './config-error.js';

/** The field an issue is about; for unknown keys, the first (zod lists them in the document's order). */
function fieldPath(issue: z.core.$ZodIssue): (string | number)[] {
  const path = issue.path.map((step) => (typeof step === 'number' ? step : String(step)));
  return issue.code === 'unrecognized_keys' ? [...path, issue.keys[0] ?? ''] : path;
}

/**
 * Where a field is in the document, as the place of each step: an array index, or a key's place
 * among its object's keys. Paths sorted by it are in the order an operator reads the file.
 */
function placeIn(doc: unknown, path: readonly (string | number)[], unknownKey: boolean): number[] {
  const place: number[] = [];
  let at = doc;
  for (const [depth, step] of path.entries()) {
    if (Array.isArray(at)) {
      place.push(Number(step));
      at = at[Number(step)];
    } else if (at !== null && typeof at === 'object') {
      const entries = Object.entries(at);
      const i = entries.findIndex(([key]) => key === String(step));
      // A service's or a check's unknown key comes before its values' errors (a misspelt key is the
      // likelier mistake); at the top level, keys are taken in the file's order.
      place.push(unknownKey && depth === path.length - 1 && depth > 0 ? -1 : i);
      at = entries[i]?.[1];
    }
  }
  return place;
}

function compare(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/**
 * The config error for a document zod refused: the first of its issues in the document, as
 * `SOURCE: FIELD: REASON` with the field as the file spells it (`services[0].checks[1].interval_ms`).
 * zod reports every issue; an operator fixes them from the top.
 */
export function configIssueError(source: string, doc: unknown, issues: readonly z.core.$ZodIssue[]): RosterError {
  const placed = issues.map((issue) => {
    const path = fieldPath(issue);
    return { issue, path, place: placeIn(doc, path, issue.code === 'unrecognized_keys') };
  });
  const first = placed.sort((a, b) => compare(a.place, b.place))[0];
  if (first === undefined) throw new Error('configIssueError: zod refused the document without an issue');
  return configError(source, first.path.length === 0 ? undefined : formatFieldPath(first.path), first.issue.message);
}
