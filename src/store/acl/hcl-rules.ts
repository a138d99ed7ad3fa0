import { Cursor, rulesError, type Position, type RulesItem, type RulesValue } from './rules-tree.js';

/**
 * Consul's rule grammar in HCL (version 1, as Consul reads policies), and no more of HCL than it:
 *
 *   body   := { item [","] }
 *   item   := key { string } ( "=" value | "{" body "}" )      key: identifier or string
 *   value  := string | "{" body "}"
 *
 * with `#`, `//` and `/* ... *\/` comments. `key_prefix "a/" { ... }` is read as
 * `key_prefix = { "a/" = { ... } }`. Numbers, booleans, lists and heredocs are not part of any
 * rule, so they are reported as errors where they stand rather than parsed.
 */
export function parseHclRules(text: string): RulesItem[] {
  const c = new Cursor(text);
  const items = body(c, undefined);
  return items;
}

function skipSpaceAndComments(c: Cursor): void {
  for (;;) {
    const ch = c.peek();
    if (ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n') {
      c.next();
    } else if (ch === '#' || (ch === '/' && c.peek(1) === '/')) {
      while (!c.done && c.peek() !== '\n') c.next();
    } else if (ch === '/' && c.peek(1) === '*') {
      const start = c.position();
      c.next();
      c.next();
      while (!(c.peek() === '*' && c.peek(1) === '/')) {
        if (c.done) rulesError(start, 'unterminated /* comment');
        c.next();
      }
      c.next();
      c.next();
    } else {
      return;
    }
  }
}

const IDENT_START = /[A-Za-z_]/;
const IDENT_PART = /[A-Za-z0-9_-]/;

function identifier(c: Cursor): string {
  let out = '';
  while (IDENT_PART.test(c.peek()) && c.peek() !== '') out += c.next();
  return out;
}

/** Items until `}` (when `open` says where the block began) or the end of the text. */
function body(c: Cursor, open: Position | undefined): RulesItem[] {
  const items: RulesItem[] = [];
  for (;;) {
    skipSpaceAndComments(c);
    if (c.done) {
      if (open !== undefined) rulesError(open, 'block opened here is never closed with "}"');
      return items;
    }
    if (c.peek() === '}') {
      if (open === undefined) rulesError(c.position(), 'unexpected "}"');
      c.next();
      return items;
    }
    items.push(item(c));
    skipSpaceAndComments(c);
    if (c.peek() === ',') c.next();
  }
}

function item(c: Cursor): RulesItem {
  const at = c.position();
  let key: string;
  if (c.peek() === '"') key = c.quoted();
  else if (IDENT_START.test(c.peek())) key = identifier(c);
  else rulesError(at, `expected a resource or field name, found ${describe(c.peek())}`);
  const labels: { value: string; at: Position }[] = [];
  for (;;) {
    skipSpaceAndComments(c);
    if (c.peek() !== '"') break;
    const labelAt = c.position();
    labels.push({ value: c.quoted(), at: labelAt });
  }
  let value: RulesValue;
  const here = c.position();
  if (c.peek() === '=') {
    if (labels.length > 0) rulesError(here, `"${key}" with a label takes a block: ${key} "${labels[0]!.value}" { ... }`);
    c.next();
    skipSpaceAndComments(c);
    value = assigned(c);
  } else if (c.peek() === '{') {
    c.next();
    value = { kind: 'object', items: body(c, here), at: here };
  } else {
    rulesError(here, `expected "=" or "{" after "${key}", found ${describe(c.peek())}`);
  }
  // Labels nest outward in: key "a" "b" { x } is key = { "a" = { "b" = { x } } }.
  for (let k = labels.length - 1; k >= 0; k--) {
    const label = labels[k]!;
    value = { kind: 'object', items: [{ key: label.value, at: label.at, value }], at: label.at };
  }
  return { key, at, value };
}

function assigned(c: Cursor): RulesValue {
  const at = c.position();
  const ch = c.peek();
  if (ch === '"') return { kind: 'string', value: c.quoted(), at };
  if (ch === '{') {
    c.next();
    return { kind: 'object', items: body(c, at), at };
  }
  if (ch === '[') rulesError(at, 'lists are not part of Consul\'s rule language');
  if (/[0-9-]/.test(ch)) rulesError(at, 'expected a quoted string, found a number');
  if (IDENT_START.test(ch)) {
    const word = identifier(c);
    rulesError(at, word === 'true' || word === 'false' ? 'expected a quoted string, found a boolean' : `expected a quoted string, found ${word} (quote it: "${word}")`);
  }
  rulesError(at, `expected a value, found ${describe(ch)}`);
}

function describe(ch: string): string {
  if (ch === '') return 'the end of the rules';
  if (ch === '\n') return 'the end of the line';
  return `"${ch}"`;
}
