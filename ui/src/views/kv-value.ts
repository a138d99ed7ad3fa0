/** How a KV value is shown: text, JSON pretty-printed, or bytes as hex. */
export interface Shown {
  readonly kind: 'text' | 'json' | 'binary' | 'empty';
  readonly text: string;
  readonly bytes: number;
}

export function bytesOfBase64(b64: string | null): Uint8Array {
  if (b64 === null || b64 === '') return new Uint8Array(0);
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Rows of 16 bytes: offset, hex, printable characters. */
function hexDump(b: Uint8Array): string {
  const lines: string[] = [];
  for (let at = 0; at < b.length; at += 16) {
    const row = Array.from(b.subarray(at, at + 16));
    const hex = row.map((x) => x.toString(16).padStart(2, '0')).join(' ');
    const chars = row.map((x) => (x >= 0x20 && x < 0x7f ? String.fromCharCode(x) : '.')).join('');
    lines.push(`${at.toString(16).padStart(8, '0')}  ${hex.padEnd(47)}  ${chars}`);
  }
  return lines.join('\n');
}

export function shownOf(b64: string | null): Shown {
  const b = bytesOfBase64(b64);
  if (b.length === 0) return { kind: 'empty', text: '', bytes: 0 };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(b);
  } catch {
    return { kind: 'binary', text: hexDump(b), bytes: b.length };
  }
  // Control characters other than tabs and line breaks: bytes, not text.
  if (b.some((x) => x < 0x20 && x !== 0x09 && x !== 0x0a && x !== 0x0d)) return { kind: 'binary', text: hexDump(b), bytes: b.length };
  const t = text.trim();
  if (t.startsWith('{') || t.startsWith('[')) {
    try {
      return { kind: 'json', text: JSON.stringify(JSON.parse(t), null, 2), bytes: b.length };
    } catch {
      // Not JSON after all: shown as text.
    }
  }
  return { kind: 'text', text, bytes: b.length };
}

/** The text an edit starts from: the value as stored (not pretty-printed), or "" for bytes. */
export function editableOf(b64: string | null): string | undefined {
  const s = shownOf(b64);
  if (s.kind === 'binary') return undefined;
  return new TextDecoder().decode(bytesOfBase64(b64));
}
