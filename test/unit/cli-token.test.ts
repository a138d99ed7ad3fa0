import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliToken } from '../../src/cli/tls-options.js';
import { checkedToken } from '../../src/client/token-dialer.js';
import { UsageError } from '../../src/cli/usage-error.js';

describe("the CLI's ACL token: --token, --token-file, $ROSTER_TOKEN, $ROSTER_TOKEN_FILE", () => {
  const dir = mkdtempSync(join(tmpdir(), 'roster-cli-token-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, text: string): string => {
    const f = join(dir, name);
    writeFileSync(f, text);
    return f;
  };

  it('takes the flag over the file over the variable over the variable file, and none as the anonymous token', () => {
    const a = file('a', 'from-flag-file\nignored second line\n');
    const b = file('b', '  from-env-file  \n');
    const env = { ROSTER_TOKEN: 'from-env', ROSTER_TOKEN_FILE: b };
    expect(cliToken({ token: 'from-flag' }, env)).toBe('from-flag');
    expect(cliToken({ 'token-file': a }, env)).toBe('from-flag-file');
    expect(cliToken({}, env)).toBe('from-env');
    expect(cliToken({}, { ROSTER_TOKEN_FILE: b })).toBe('from-env-file');
    expect(cliToken({}, { ROSTER_TOKEN: '' })).toBeUndefined();
    expect(cliToken({}, {})).toBeUndefined();
  });

  it('refuses both flags, an unreadable or empty file, and a token that cannot be sent, as usage errors', () => {
    expect(() => cliToken({ token: 't', 'token-file': 'f' }, {})).toThrow(/--token or --token-file, not both/);
    expect(() => cliToken({ 'token-file': join(dir, 'missing') }, {})).toThrow(/cannot read the token file .*ENOENT/);
    expect(() => cliToken({}, { ROSTER_TOKEN_FILE: file('empty', '\n') })).toThrow(/\$ROSTER_TOKEN_FILE\) is empty/);
    expect(() => cliToken({ token: 'a b' }, {})).toThrow(UsageError);
    expect(() => cliToken({ token: 'é' }, {})).toThrow(/printable ASCII/);
    expect(() => cliToken({ token: 'x'.repeat(257) }, {})).toThrow(/at most 256/);
    expect(checkedToken('x'.repeat(256))).toHaveLength(256);
  });
});
