/**
 * How a flag's text becomes its value, the same for the agent's flags, its environment variables
 * and the CLI's flags: a boolean is `true` or `false` (a bare `--flag` is true); an integer is
 * written in decimal digits (no `0x3`, no empty string taken for 0). Undefined means refused; the
 * caller says so in its own words.
 */
export function boolFlagValue(raw: string): boolean | undefined {
  return raw === 'true' ? true : raw === 'false' ? false : undefined;
}

export function intFlagValue(raw: string): number | undefined {
  const n = Number(raw);
  return /^-?\d+$/.test(raw.trim()) && Number.isSafeInteger(n) ? n : undefined;
}
