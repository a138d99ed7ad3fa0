import { aclError } from './acl-errors.js';

/**
 * What both rule syntaxes (HCL and JSON) parse to before it is read as rules: nested objects of
 * named items, every node with the line and column it started at, so an error can point there.
 * HCL's block labels are unfolded into nesting, so `key_prefix "a/" { policy = "read" }` and
 * JSON's `{"key_prefix": {"a/": {"policy": "read"}}}` give the same tree.
 */
export interface Position {
  readonly line: number;
  readonly column: number;
}

export type RulesValue =
  | { readonly kind: 'string'; readonly value: string; readonly at: Position }
  | { readonly kind: 'object'; readonly items: readonly RulesItem[]; readonly at: Position }
  /** Numbers, booleans, null and lists: legal syntax, never a legal rule value. */
  | { readonly kind: 'other'; readonly what: string; readonly at: Position };

export interface RulesItem {
  readonly key: string;
  readonly at: Position;
  readonly value: RulesValue;
}

/** A rules error at a place in the text: ACL_RULES_INVALID with the line and column in message and details. */
export function rulesError(at: Position, message: string): never {
  throw aclError('ACL_RULES_INVALID', `rules:${at.line}:${at.column}: ${message}`, { line: at.line, column: at.column });
}

/** Walks a text one character at a time, knowing the line and column it is at (both from 1). */
export class Cursor {
  private i = 0;
  private line = 1;
  private column = 1;

  constructor(private readonly text: string) {}

  get done(): boolean {
    return this.i >= this.text.length;
  }

  peek(ahead = 0): string {
    return this.text[this.i + ahead] ?? '';
  }

  position(): Position {
    return { line: this.line, column: this.column };
  }

  next(): string {
    const c = this.text[this.i++] ?? '';
    if (c === '\n') {
      this.line++;
      this.column = 1;
    } else {
      this.column++;
    }
    return c;
  }

  /**
   * A double-quoted string starting at the cursor (on the quote), with JSON's escapes (HCL's are
   * the same for what a rule needs). Strings do not span lines.
   */
  quoted(): string {
    const start = this.position();
    this.next();
    let out = '';
    for (;;) {
      if (this.done || this.peek() === '\n') rulesError(start, 'unterminated string');
      const c = this.next();
      if (c === '"') return out;
      if (c !== '\\') {
        out += c;
        continue;
      }
      const at = this.position();
      const e = this.next();
      const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' };
      if (simple[e] !== undefined) {
        out += simple[e];
      } else if (e === 'u') {
        let hex = '';
        for (let k = 0; k < 4; k++) hex += this.next();
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) rulesError(at, 'bad \\u escape');
        out += String.fromCharCode(parseInt(hex, 16));
      } else {
        rulesError(at, `unknown escape \\${e}`);
      }
    }
  }
}
