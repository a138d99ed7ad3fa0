import { HttpError } from './consul-errors.js';

/**
 * Consul's ?filter expressions (the go-bexpr language) over the JSON rows an endpoint returns:
 *
 *   expr    := or
 *   or      := and { "or" and }
 *   and     := unary { "and" unary }
 *   unary   := "not" unary | "(" expr ")" | match
 *   match   := selector ("==" | "!=") value
 *            | selector ["not"] ("contains" | "matches") value
 *            | value ["not"] "in" selector
 *            | selector "is" ["not"] "empty"
 *   selector:= name { "." name | "[" string "]" }
 *   value   := "string" | `raw string` | number | true | false
 *
 * Comparisons are of text (a number or boolean field matches its text, as bexpr coerces);
 * `contains` is membership in a list, a key of a map or a substring; a field a row does not have
 * is empty. Written here: no npm package implements bexpr, and the grammar is small.
 */
export type Filter = (row: unknown) => boolean;

/** The longest expression taken, and the deepest nesting (bounded work per row). */
const MAX_FILTER_CHARS = 4096;
const MAX_DEPTH = 32;

type Token = { kind: 'word' | 'string' | 'op' | 'paren' | 'bracket' | 'dot'; text: string; at: number };

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
    } else if (c === '"' || c === '`') {
      const at = i;
      let text = '';
      i++;
      for (;;) {
        if (i >= src.length) throw bad(`unterminated string at ${at}`);
        const d = src[i++]!;
        if (d === c) break;
        if (d === '\\' && c === '"' && i < src.length) {
          const e = src[i++]!;
          text += e === 'n' ? '\n' : e === 't' ? '\t' : e;
        } else {
          text += d;
        }
      }
      out.push({ kind: 'string', text, at });
    } else if (c === '=' || c === '!') {
      if (src[i + 1] !== '=') throw bad(`unexpected ${JSON.stringify(c)} at ${i}`);
      out.push({ kind: 'op', text: `${c}=`, at: i });
      i += 2;
    } else if (c === '(' || c === ')') {
      out.push({ kind: 'paren', text: c, at: i++ });
    } else if (c === '[' || c === ']') {
      out.push({ kind: 'bracket', text: c, at: i++ });
    } else if (c === '.') {
      out.push({ kind: 'dot', text: c, at: i++ });
    } else if (/[A-Za-z0-9_\-+:/]/.test(c)) {
      const at = i;
      while (i < src.length && /[A-Za-z0-9_\-+:/]/.test(src[i]!)) i++;
      out.push({ kind: 'word', text: src.slice(at, i), at });
    } else {
      throw bad(`unexpected ${JSON.stringify(c)} at ${i}`);
    }
  }
  return out;
}

const bad = (why: string): HttpError => new HttpError(400, `Failed to create boolean expression evaluator: ${why}`);

type Node =
  | { kind: 'and' | 'or'; left: Node; right: Node }
  | { kind: 'not'; inner: Node }
  | { kind: 'eq' | 'ne' | 'contains' | 'ncontains' | 'matches' | 'nmatches'; path: string[]; value: string; re?: RegExp }
  | { kind: 'in' | 'nin'; path: string[]; value: string }
  | { kind: 'empty' | 'nempty'; path: string[] };

const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'contains', 'matches', 'is', 'empty']);

class Parser {
  private i = 0;
  constructor(private readonly t: Token[]) {}

  parse(): Node {
    const n = this.or(0);
    if (this.i < this.t.length) throw bad(`unexpected ${JSON.stringify(this.t[this.i]!.text)} at ${this.t[this.i]!.at}`);
    return n;
  }

  private peekWord(w: string): boolean {
    const t = this.t[this.i];
    return t?.kind === 'word' && t.text.toLowerCase() === w;
  }

  private or(d: number): Node {
    let n = this.and(d);
    while (this.peekWord('or')) {
      this.i++;
      n = { kind: 'or', left: n, right: this.and(d) };
    }
    return n;
  }

  private and(d: number): Node {
    let n = this.unary(d);
    while (this.peekWord('and')) {
      this.i++;
      n = { kind: 'and', left: n, right: this.unary(d) };
    }
    return n;
  }

  private unary(d: number): Node {
    if (d > MAX_DEPTH) throw bad(`nested deeper than ${MAX_DEPTH}`);
    if (this.peekWord('not')) {
      this.i++;
      return { kind: 'not', inner: this.unary(d + 1) };
    }
    const t = this.t[this.i];
    if (t?.kind === 'paren' && t.text === '(') {
      this.i++;
      const n = this.or(d + 1);
      const close = this.t[this.i++];
      if (close?.kind !== 'paren' || close.text !== ')') throw bad('missing ")"');
      return n;
    }
    return this.match();
  }

  private value(): string {
    const t = this.t[this.i++];
    if (t === undefined) throw bad('expected a value at the end');
    if (t.kind === 'string') return t.text;
    if (t.kind === 'word' && !KEYWORDS.has(t.text.toLowerCase())) return t.text;
    throw bad(`expected a value at ${t.at}, found ${JSON.stringify(t.text)}`);
  }

  private selector(): string[] {
    const first = this.t[this.i++];
    if (first?.kind !== 'word' || KEYWORDS.has(first.text.toLowerCase())) throw bad(`expected a selector${first === undefined ? ' at the end' : ` at ${first.at}`}`);
    const path = [first.text];
    for (;;) {
      const t = this.t[this.i];
      if (t?.kind === 'dot') {
        this.i++;
        const name = this.t[this.i++];
        if (name?.kind !== 'word') throw bad(`expected a field name after "." at ${t.at}`);
        path.push(name.text);
      } else if (t?.kind === 'bracket' && t.text === '[') {
        this.i++;
        const key = this.t[this.i++];
        const close = this.t[this.i++];
        if (key?.kind !== 'string' || close?.kind !== 'bracket' || close.text !== ']') throw bad(`expected ["key"] at ${t.at}`);
        path.push(key.text);
      } else {
        return path;
      }
    }
  }

  private match(): Node {
    // value [not] in selector
    const save = this.i;
    const t = this.t[this.i];
    if (t !== undefined && (t.kind === 'string' || t.kind === 'word')) {
      const next = this.t[this.i + 1];
      const after = this.t[this.i + 2];
      const isIn = next?.kind === 'word' && next.text.toLowerCase() === 'in';
      const isNotIn = next?.kind === 'word' && next.text.toLowerCase() === 'not' && after?.kind === 'word' && after.text.toLowerCase() === 'in';
      if (isIn || isNotIn) {
        const value = this.value();
        this.i += isIn ? 1 : 2;
        return { kind: isIn ? 'in' : 'nin', path: this.selector(), value };
      }
    }
    this.i = save;
    const path = this.selector();
    const op = this.t[this.i++];
    if (op === undefined) throw bad('expected an operator at the end');
    if (op.kind === 'op') return { kind: op.text === '==' ? 'eq' : 'ne', path, value: this.value() };
    const w = op.kind === 'word' ? op.text.toLowerCase() : '';
    if (w === 'is') {
      const negate = this.peekWord('not');
      if (negate) this.i++;
      if (!this.peekWord('empty')) throw bad('expected "empty" after "is"');
      this.i++;
      return { kind: negate ? 'nempty' : 'empty', path };
    }
    let negate = false;
    let verb = w;
    if (w === 'not') {
      negate = true;
      const v = this.t[this.i++];
      verb = v?.kind === 'word' ? v.text.toLowerCase() : '';
    }
    if (verb === 'contains') return { kind: negate ? 'ncontains' : 'contains', path, value: this.value() };
    if (verb === 'matches') {
      const value = this.value();
      let re: RegExp;
      try {
        re = new RegExp(value);
      } catch {
        throw bad(`invalid regular expression ${JSON.stringify(value)}`);
      }
      return { kind: negate ? 'nmatches' : 'matches', path, value, re };
    }
    throw bad(`unknown operator ${JSON.stringify(op.text)} at ${op.at}`);
  }
}

/** A field of a row by its path; map keys exact, field names case-insensitive (as bexpr's struct fields). */
function lookup(row: unknown, path: readonly string[]): unknown {
  let cur: unknown = row;
  for (const name of path) {
    if (typeof cur !== 'object' || cur === null || Array.isArray(cur)) return undefined;
    const o = cur as Record<string, unknown>;
    if (Object.hasOwn(o, name)) cur = o[name];
    else {
      const key = Object.keys(o).find((k) => k.toLowerCase() === name.toLowerCase());
      cur = key === undefined ? undefined : o[key];
    }
  }
  return cur;
}

const text = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '');

function isEmpty(v: unknown): boolean {
  if (v === undefined || v === null || v === '') return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'object') return Object.keys(v).length === 0;
  return false;
}

function contains(v: unknown, value: string): boolean {
  if (Array.isArray(v)) return v.some((x) => text(x) === value);
  if (typeof v === 'string') return v.includes(value);
  if (typeof v === 'object' && v !== null) return Object.hasOwn(v, value);
  return false;
}

function evaluate(n: Node, row: unknown): boolean {
  switch (n.kind) {
    case 'and':
      return evaluate(n.left, row) && evaluate(n.right, row);
    case 'or':
      return evaluate(n.left, row) || evaluate(n.right, row);
    case 'not':
      return !evaluate(n.inner, row);
    case 'eq':
      return text(lookup(row, n.path)) === n.value;
    case 'ne':
      return text(lookup(row, n.path)) !== n.value;
    case 'contains':
    case 'in':
      return contains(lookup(row, n.path), n.value);
    case 'ncontains':
    case 'nin':
      return !contains(lookup(row, n.path), n.value);
    case 'matches':
      return n.re!.test(text(lookup(row, n.path)));
    case 'nmatches':
      return !n.re!.test(text(lookup(row, n.path)));
    case 'empty':
      return isEmpty(lookup(row, n.path));
    case 'nempty':
      return !isEmpty(lookup(row, n.path));
  }
}

/** The filter for `?filter=` (undefined without one); a bad expression is a 400 with bexpr's prefix. */
export function filterOf(expression: string | undefined): Filter | undefined {
  if (expression === undefined || expression.trim() === '') return undefined;
  if (expression.length > MAX_FILTER_CHARS) throw bad(`longer than ${MAX_FILTER_CHARS} characters`);
  const tree = new Parser(tokenize(expression)).parse();
  return (row) => evaluate(tree, row);
}
