import { Cursor, rulesError, type RulesItem, type RulesValue } from './rules-tree.js';

/**
 * Consul's JSON form of the rules, parsed here rather than with JSON.parse so an error names its
 * line and column and every value keeps its position. Standard JSON; a list of objects where a
 * rule table is expected (`"key_prefix": [{...}, {...}]`, as HCL's JSON allows) is read as the
 * objects one after the other.
 */
export function parseJsonRules(text: string): RulesItem[] {
  const c = new Cursor(text);
  space(c);
  const top = value(c, 0);
  space(c);
  if (!c.done) rulesError(c.position(), `unexpected ${JSON.stringify(c.peek())} after the JSON object`);
  if (top.kind !== 'object') rulesError(top.at, 'the rules must be a JSON object');
  return [...top.items];
}

/** Nesting deeper than any rule needs is refused rather than followed down the stack. */
const MAX_DEPTH = 32;

function space(c: Cursor): void {
  while (c.peek() === ' ' || c.peek() === '\t' || c.peek() === '\n' || c.peek() === '\r') c.next();
}

function value(c: Cursor, depth: number): RulesValue {
  const at = c.position();
  if (depth > MAX_DEPTH) rulesError(at, `nested deeper than ${MAX_DEPTH}`);
  const ch = c.peek();
  if (ch === '"') return { kind: 'string', value: c.quoted(), at };
  if (ch === '{') return object(c, depth);
  if (ch === '[') return list(c, depth);
  if (/[-0-9]/.test(ch)) {
    while (/[-+0-9.eE]/.test(c.peek()) && c.peek() !== '') c.next();
    return { kind: 'other', what: 'a number', at };
  }
  for (const word of ['true', 'false', 'null']) {
    if (startsWithWord(c, word)) {
      for (let k = 0; k < word.length; k++) c.next();
      return { kind: 'other', what: word === 'null' ? 'null' : 'a boolean', at };
    }
  }
  rulesError(at, c.done ? 'unexpected end of the JSON' : `unexpected ${JSON.stringify(ch)}`);
}

function startsWithWord(c: Cursor, word: string): boolean {
  for (let k = 0; k < word.length; k++) if (c.peek(k) !== word[k]) return false;
  return true;
}

function object(c: Cursor, depth: number): RulesValue {
  const at = c.position();
  c.next();
  const items: RulesItem[] = [];
  space(c);
  if (c.peek() === '}') {
    c.next();
    return { kind: 'object', items, at };
  }
  for (;;) {
    space(c);
    const keyAt = c.position();
    if (c.peek() !== '"') rulesError(keyAt, c.done ? 'unexpected end of the JSON: the object is not closed' : `expected a quoted key, found ${JSON.stringify(c.peek())}`);
    const key = c.quoted();
    space(c);
    if (c.peek() !== ':') rulesError(c.position(), `expected ":" after "${key}"`);
    c.next();
    space(c);
    items.push({ key, at: keyAt, value: value(c, depth + 1) });
    space(c);
    const sepAt = c.position();
    const sep = c.next();
    if (sep === '}') return { kind: 'object', items, at };
    if (sep !== ',') rulesError(sepAt, sep === '' ? 'unexpected end of the JSON: the object is not closed' : `expected "," or "}" in the object begun at ${at.line}:${at.column}`);
  }
}

/** A list of objects is their items in order (HCL's JSON form for repeated blocks); anything else is 'other'. */
function list(c: Cursor, depth: number): RulesValue {
  const at = c.position();
  c.next();
  const elements: RulesValue[] = [];
  space(c);
  if (c.peek() === ']') {
    c.next();
  } else {
    for (;;) {
      space(c);
      elements.push(value(c, depth + 1));
      space(c);
      const sepAt = c.position();
      const sep = c.next();
      if (sep === ']') break;
      if (sep !== ',') rulesError(sepAt, sep === '' ? 'unexpected end of the JSON: the list is not closed' : `expected "," or "]" in the list begun at ${at.line}:${at.column}`);
    }
  }
  if (elements.length > 0 && elements.every((e) => e.kind === 'object')) {
    return { kind: 'object', items: elements.flatMap((e) => (e.kind === 'object' ? e.items : [])), at };
  }
  return { kind: 'other', what: 'a list', at };
}
