import { describe, expect, it } from 'vitest';
import { compileAuthorizer, permissionDenied, type Authorizer, type DefaultPolicy } from '../../src/store/acl/authorizer.js';
import { coveringPrefix, keyRangeWrite, keyReadBytes, keyWriteBytes } from '../../src/store/acl/key-ranges.js';
import { parseRules } from '../../src/store/acl/parse-rules.js';
import { GLOBAL_MANAGEMENT_RULES } from '../../src/store/acl/records.js';
import { isRosterError } from '../../src/util/errors.js';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

function authz(rules: string | readonly string[], defaultPolicy: DefaultPolicy = 'deny'): Authorizer {
  const texts = typeof rules === 'string' ? [rules] : rules;
  return compileAuthorizer(texts.map(parseRules), { management: false, defaultPolicy });
}

/** The parse error's code, line and column, for a table of bad rules. */
function parseFailure(text: string): { code: string; line: unknown; column: unknown; message: string } {
  try {
    parseRules(text);
  } catch (err) {
    if (!isRosterError(err)) throw err;
    return { code: err.code, line: err.details.line, column: err.details.column, message: err.message };
  }
  throw new Error('parsed');
}

// Consul's documented example policy (ACL rules reference), in HCL and in its JSON form.
const DOC_HCL = `# These control access to the key/value store.
key_prefix "" {
  policy = "read"
}
key_prefix "foo/" {
  policy = "write"
}
key_prefix "foo/private/" {
  policy = "deny"
}
# Or for exact key matches
key "foo/bar/secret" {
  policy = "deny"
}

# This controls access to cluster-wide Consul operator information.
operator = "read"
`;

const DOC_JSON = `{
  "key_prefix": {
    "": { "policy": "read" },
    "foo/": { "policy": "write" },
    "foo/private/": { "policy": "deny" }
  },
  "key": {
    "foo/bar/secret": { "policy": "deny" }
  },
  "operator": "read"
}`;

describe('Consul rules: parsing', () => {
  it('reads the documented HCL policy and its JSON form to the same rules', () => {
    const hcl = parseRules(DOC_HCL);
    expect(hcl).toEqual(parseRules(DOC_JSON));
    expect(hcl.segments.key).toEqual([
      { segment: '', prefix: true, level: 'read' },
      { segment: 'foo/', prefix: true, level: 'write' },
      { segment: 'foo/private/', prefix: true, level: 'deny' },
      { segment: 'foo/bar/secret', prefix: false, level: 'deny' },
    ]);
    expect(hcl.cluster).toEqual({ operator: 'read' });
  });

  it('takes every resource, comments of each kind, commas, one-line blocks and service intentions', () => {
    const rules = parseRules(`
      // line comment
      /* block
         comment */
      service_prefix "" { policy = "read", intentions = "read" }
      service "web" { policy = "write" }
      node_prefix "" { policy = "read" } node "db1" { policy = "deny" }
      session_prefix "" { policy = "write" }
      agent "a1" { policy = "read" }
      event_prefix "deploy" { policy = "write" }
      query "q" { policy = "read" }
      acl = "read"
      keyring = "write"
      operator = "deny"
    `);
    expect(rules.segments.service).toEqual([
      { segment: '', prefix: true, level: 'read', intentions: 'read' },
      { segment: 'web', prefix: false, level: 'write' },
    ]);
    expect(rules.segments.node.map((r) => r.segment)).toEqual(['', 'db1']);
    expect(rules.segments.event).toEqual([{ segment: 'deploy', prefix: true, level: 'write' }]);
    expect(rules.cluster).toEqual({ acl: 'read', keyring: 'write', operator: 'deny' });
  });

  it('parses the global-management rules it stores', () => {
    expect(parseRules(GLOBAL_MANAGEMENT_RULES).cluster).toEqual({ acl: 'write', keyring: 'write', operator: 'write' });
  });

  it('reads a JSON list of rule tables as the tables in order, and string escapes', () => {
    const rules = parseRules('{"key_prefix": [{"a/": {"policy": "read"}}, {"b\\"/": {"policy": "write"}}]}');
    expect(rules.segments.key).toEqual([
      { segment: 'a/', prefix: true, level: 'read' },
      { segment: 'b"/', prefix: true, level: 'write' },
    ]);
  });

  it.each([
    ['an unknown resource', 'key_prefix "" {\n  policy = "read"\n}\nmesh = "read"\n', 4, 1, 'no "mesh" resource'],
    ['a misspelt resource', '\n  kye "a" { policy = "read" }', 2, 3, 'unknown resource "kye"'],
    ['an unknown policy', 'key "a" {\n  policy = "rwite"\n}', 2, 12, 'unknown policy "rwite"'],
    ['list outside keys', 'service "web" { policy = "list" }', 1, 26, '"list" applies to keys only'],
    ['a segmented resource without a segment', 'key_prefix = "read"', 1, 14, 'needs a segment'],
    ['a cluster resource with a block', 'operator {\n policy = "read"\n}', 1, 10, 'takes no segment'],
    ['an unquoted value', 'operator = read', 1, 12, 'quote it'],
    ['a missing "=" or "{"', 'key "a" policy = "read"', 1, 9, 'expected "=" or "{"'],
    ['an unclosed block', 'key "a" {\n  policy = "read"\n', 1, 9, 'never closed'],
    ['a stray "}"', 'operator = "read"\n}', 2, 1, 'unexpected "}"'],
    ['an unterminated string', 'key "a {\n', 1, 5, 'unterminated string'],
    ['an unknown field', 'key "a" {\n  polcy = "read"\n}', 2, 3, 'unknown field "polcy"'],
    ['a block with no policy', 'node "n" {\n}', 1, 10, 'has no policy'],
    ['an unterminated comment', 'operator = "read"\n  /* never', 2, 3, 'unterminated /* comment'],
    ['a cluster rule twice', 'acl = "read"\nacl = "write"', 2, 1, 'given twice'],
  ])('HCL: %s is ACL_RULES_INVALID at its line and column', (_what, text, line, column, says) => {
    const f = parseFailure(text);
    expect(f).toMatchObject({ code: 'ACL_RULES_INVALID', line, column });
    expect(f.message).toContain(`rules:${line}:${column}:`);
    expect(f.message).toContain(says);
  });

  it.each([
    ['a missing comma', '{\n  "operator": "read"\n  "acl": "read"\n}', 3, 3, 'expected "," or "}"'],
    ['a trailing comma', '{\n  "key": {\n    "a": { "policy": "read" },\n  }\n}', 4, 3, 'expected a quoted key'],
    ['an unclosed object', '{"key": {"a": {"policy": "read"}}', 1, 34, 'not closed'],
    ['a number for a policy', '{"key": {"a": {"policy": 3}}}', 1, 26, 'found a number'],
    ['a boolean for a cluster rule', '{\n"operator": true}', 2, 13, 'found a boolean'],
    ['text after the object', '{"acl": "read"} x', 1, 17, 'after the JSON object'],
    ['an unknown resource', '{\n  "keys": {}\n}', 2, 3, 'unknown resource "keys"'],
  ])('JSON: %s is ACL_RULES_INVALID at its line and column', (_what, text, line, column, says) => {
    const f = parseFailure(text);
    expect(f).toMatchObject({ code: 'ACL_RULES_INVALID', line, column });
    expect(f.message).toContain(says);
  });

  it('refuses rules past the size limit before parsing them', () => {
    expect(parseFailure(`# ${'x'.repeat(33 * 1024)}`).code).toBe('ACL_RULES_INVALID');
  });

  it('reads empty rules as a policy that grants nothing', () => {
    expect(authz('').keyRead('a').allowed).toBe(false);
    expect(authz('', 'allow').keyRead('a').allowed).toBe(true);
  });
});

describe('Consul rules: the authorizer', () => {
  const doc = authz(DOC_HCL);

  // [what, check, allowed] for Consul's documented example policy.
  it.each<[string, (a: Authorizer) => boolean]>([
    ['key_prefix "" read lets anything be read', (a) => a.keyRead('other/x').allowed],
    ['... but not written', (a) => !a.keyWrite('other/x').allowed],
    ['the longest prefix wins: foo/ write', (a) => a.keyWrite('foo/x').allowed],
    ['write implies read', (a) => a.keyRead('foo/x').allowed],
    ['a longer deny prefix beats the shorter write', (a) => !a.keyRead('foo/private/k').allowed && !a.keyWrite('foo/private/k').allowed],
    ['an exact deny beats the prefix write over it', (a) => !a.keyRead('foo/bar/secret').allowed],
    ['an exact rule applies to its name only', (a) => a.keyWrite('foo/bar/secret2').allowed],
    ['operator read', (a) => a.operatorRead().allowed && !a.operatorWrite().allowed],
    ['default deny where nothing matches', (a) => !a.serviceRead('web').allowed && !a.nodeRead('n').allowed],
    ['acl needs a rule', (a) => !a.aclRead().allowed],
  ])('%s', (_what, check) => {
    expect(check(doc)).toBe(true);
  });

  it('lets an exact rule beat a prefix rule of the same name', () => {
    const a = authz('key_prefix "app" { policy = "deny" }\nkey "app" { policy = "write" }');
    expect(a.keyWrite('app').allowed).toBe(true);
    expect(a.keyRead('app/x').allowed).toBe(false);
  });

  it('at equal specificity, deny beats write beats list beats read, within one policy or across policies', () => {
    expect(authz(['key_prefix "a/" { policy = "write" }', 'key_prefix "a/" { policy = "deny" }'], 'allow').keyRead('a/x').allowed).toBe(false);
    expect(authz('key "k" { policy = "deny" }\nkey "k" { policy = "write" }', 'allow').keyRead('k').allowed).toBe(false);
    const merged = authz(['service "web" { policy = "read" }', 'service "web" { policy = "write" }']);
    expect(merged.serviceWrite('web').allowed).toBe(true);
    expect(authz(['operator = "read"', 'operator = "write"']).operatorWrite().allowed).toBe(true);
    expect(authz(['operator = "write"', 'operator = "deny"'], 'allow').operatorRead().allowed).toBe(false);
    expect(authz(['key_prefix "a/" { policy = "read" }', 'key_prefix "a/" { policy = "list" }']).keyList('a/').allowed).toBe(true);
  });

  it('grants list for keys with list or write, and list implies read but not write', () => {
    const a = authz('key_prefix "" { policy = "deny" }\nkey_prefix "bar" { policy = "list" }\nkey_prefix "baz" { policy = "read" }\nkey_prefix "w/" { policy = "write" }');
    expect(a.keyList('bar/').allowed).toBe(true);
    expect(a.keyRead('bar/x').allowed).toBe(true);
    expect(a.keyWrite('bar/x').allowed).toBe(false);
    expect(a.keyList('baz/').allowed).toBe(false);
    expect(a.keyRead('baz/x').allowed).toBe(true);
    expect(a.keyList('w/').allowed).toBe(true);
    expect(a.keyList('other').allowed).toBe(false);
  });

  it('falls back to default allow where nothing matches, but never for acl', () => {
    const a = authz('key_prefix "secret/" { policy = "deny" }', 'allow');
    expect(a.keyWrite('public/x').allowed).toBe(true);
    expect(a.serviceWrite('web').allowed).toBe(true);
    expect(a.operatorWrite().allowed).toBe(true);
    expect(a.keyRead('secret/x').allowed).toBe(false);
    expect(a.aclRead().allowed).toBe(false);
    expect(authz('acl = "read"', 'allow').aclRead().allowed).toBe(true);
  });

  it('the management policy allows everything, acl included, even with a deny policy beside it', () => {
    const m = compileAuthorizer([parseRules('key_prefix "" { policy = "deny" }')], { management: true, defaultPolicy: 'deny' });
    expect(m.keyWrite('x').allowed && m.aclWrite().allowed && m.operatorWrite().allowed && m.keyringWrite().allowed && m.keyWritePrefix('').allowed).toBe(true);
  });

  it('covers every resource of the rule language by name, exact and prefix', () => {
    const a = authz(`service_prefix "web" { policy = "write" }
node "n1" { policy = "write" }
session_prefix "n" { policy = "read" }
agent_prefix "" { policy = "read" }
agent "a9" { policy = "write" }
event "deploy" { policy = "write" }
query_prefix "q-" { policy = "read" }
keyring = "read"`);
    expect([a.serviceWrite('web-api').allowed, a.serviceRead('api').allowed]).toEqual([true, false]);
    expect([a.nodeWrite('n1').allowed, a.nodeRead('n10').allowed]).toEqual([true, false]);
    expect([a.sessionRead('n2').allowed, a.sessionWrite('n2').allowed]).toEqual([true, false]);
    expect([a.agentRead('x').allowed, a.agentWrite('a9').allowed, a.agentWrite('x').allowed]).toEqual([true, true, false]);
    expect([a.eventWrite('deploy').allowed, a.eventRead('other').allowed]).toEqual([true, false]);
    expect([a.queryRead('q-1').allowed, a.queryWrite('q-1').allowed]).toEqual([true, false]);
    expect([a.keyringRead().allowed, a.keyringWrite().allowed]).toEqual([true, false]);
  });

  it('names the missing rule in a denial, ready for PERMISSION_DENIED', () => {
    const d = doc.keyWrite('app/config');
    expect(d).toMatchObject({ allowed: false, resource: 'key', access: 'write', segment: 'app/config', message: 'permission denied: token lacks key:write on app/config' });
    if (d.allowed) throw new Error('allowed');
    const err = permissionDenied(d);
    expect(err.code).toBe('PERMISSION_DENIED');
    expect(err.details).toEqual({ resource: 'key', access: 'write', segment: 'app/config' });
    expect(doc.operatorWrite()).toMatchObject({ message: 'permission denied: token lacks operator:write' });
    expect(doc.keyWritePrefix('foo/')).toMatchObject({ message: 'permission denied: token lacks key:write on every key under foo/' });
  });
});

describe('write on a whole prefix (recursive deletes, etcd ranges)', () => {
  it('is allowed when the covering prefix grants write and nothing under it withholds it', () => {
    const a = authz('key_prefix "app/" { policy = "write" }\nkey_prefix "app/ro/" { policy = "read" }');
    expect(a.keyWritePrefix('app/rw/').allowed).toBe(true);
    expect(a.keyWritePrefix('app/').allowed).toBe(false); // app/ro/ under it is read-only
    expect(a.keyWritePrefix('app/ro/').allowed).toBe(false);
    expect(a.keyWritePrefix('').allowed).toBe(false);
  });

  it('an exact rule under the prefix that is not write refuses it', () => {
    const a = authz('key_prefix "" { policy = "write" }\nkey "cfg/locked" { policy = "read" }');
    expect(a.keyWritePrefix('cfg/').allowed).toBe(false);
    expect(a.keyWritePrefix('other/').allowed).toBe(true);
  });

  it('with no covering rule, the default decides, unless a rule under it withholds write', () => {
    const a = authz('key_prefix "x/y/" { policy = "write" }', 'allow');
    expect(a.keyWritePrefix('x/').allowed).toBe(true);
    expect(authz('key_prefix "x/y/" { policy = "write" }', 'deny').keyWritePrefix('x/').allowed).toBe(false);
    expect(authz('key "x/k" { policy = "read" }', 'allow').keyWritePrefix('x/').allowed).toBe(false);
  });

  it('maps an etcd range to the prefix that covers it', () => {
    const dec = (b: Uint8Array): string => new TextDecoder().decode(b);
    expect(dec(coveringPrefix(enc('app/'), enc('app0')))).toBe('app/'); // etcd's --prefix
    expect(dec(coveringPrefix(enc('app/a'), enc('app/c')))).toBe('app/');
    expect(dec(coveringPrefix(enc('a'), Uint8Array.of(0)))).toBe('');
    expect(dec(coveringPrefix(enc('a'), enc('b')))).toBe('a');
    expect(dec(coveringPrefix(enc('a'), enc('c')))).toBe('');
  });

  it('checks a range delete on its covering prefix and a single key on the key', () => {
    const a = authz('key_prefix "app/" { policy = "write" }\nkey_prefix "app/ro/" { policy = "read" }');
    expect(keyRangeWrite(a, enc('app/rw/'), enc('app/rw0')).allowed).toBe(true);
    expect(keyRangeWrite(a, enc('app/'), enc('app0')).allowed).toBe(false);
    expect(keyRangeWrite(a, enc('app/x'), new Uint8Array(0)).allowed).toBe(true);
    expect(keyRangeWrite(a, enc('app/'), Uint8Array.of(0)).allowed).toBe(false);
  });

  it('matches a key whose bytes are not UTF-8 by prefix rules only', () => {
    const a = authz('key_prefix "bin/" { policy = "write" }\nkey "bin/" { policy = "deny" }');
    const key = Uint8Array.of(...enc('bin/'), 0xff, 0x01);
    expect(keyWriteBytes(a, key).allowed).toBe(true);
    expect(keyReadBytes(a, key).allowed).toBe(true);
    expect(keyWriteBytes(authz('key_prefix "" { policy = "read" }'), key).allowed).toBe(false);
  });
});
