import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROSTER = resolve(import.meta.dirname, '../../bin/roster.mjs');

/** `roster tls ...` through the real launcher, run in a temp dir: it needs no server. */
describe('roster tls through the roster command', () => {
  let dir: string;
  const roster = (...args: string[]): { code: number; out: string; err: string } => {
    const r = spawnSync(process.execPath, [ROSTER, ...args], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
    return { code: r.status ?? -1, out: r.stdout.trim(), err: r.stderr.trim() };
  };
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'roster-cli-tls-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('tls ca create, then tls cert create --server (twice: -0, -1) in the current dir; never overwrites', () => {
    expect(roster('tls', 'ca', 'create')).toEqual({ code: 0, out: 'saved roster-agent-ca.pem\nsaved roster-agent-ca-key.pem', err: '' });
    expect(statSync(join(dir, 'roster-agent-ca-key.pem')).mode & 0o777).toBe(0o600);
    const caPem = readFileSync(join(dir, 'roster-agent-ca.pem'), 'utf8');
    expect(roster('tls', 'ca', 'create')).toEqual({ code: 1, out: '', err: 'roster: roster-agent-ca.pem already exists: not overwriting it (move it away, or write elsewhere with --dir)' });
    expect(readFileSync(join(dir, 'roster-agent-ca.pem'), 'utf8')).toBe(caPem);

    expect(roster('tls', 'cert', 'create', '--server', '--additional-dnsname', 'roster-1.example', '--additional-ipaddress', '10.1.0.1,10.1.0.2')).toEqual({ code: 0, out: 'saved dc1-server-roster-0.pem\nsaved dc1-server-roster-0-key.pem', err: '' });
    expect(roster('tls', 'cert', 'create', '--server').out).toBe('saved dc1-server-roster-1.pem\nsaved dc1-server-roster-1-key.pem');
    expect(roster('tls', 'cert', 'create', '--cli', '--dc', 'eu1').out).toBe('saved eu1-cli-roster-0.pem\nsaved eu1-cli-roster-0-key.pem');
    const ca = new X509Certificate(caPem);
    const server = new X509Certificate(readFileSync(join(dir, 'dc1-server-roster-0.pem')));
    expect(server.subjectAltName).toBe('DNS:server.dc1.roster, DNS:localhost, DNS:roster-1.example, IP Address:127.0.0.1, IP Address:10.1.0.1, IP Address:10.1.0.2');
    expect(server.checkIssued(ca) && server.verify(ca.publicKey)).toBe(true);
    expect(new X509Certificate(readFileSync(join(dir, 'eu1-cli-roster-0.pem'))).subject).toBe('CN=cli.eu1.roster');
    expect(readdirSync(dir).sort()).toEqual(['dc1-server-roster-0-key.pem', 'dc1-server-roster-0.pem', 'dc1-server-roster-1-key.pem', 'dc1-server-roster-1.pem', 'eu1-cli-roster-0-key.pem', 'eu1-cli-roster-0.pem', 'roster-agent-ca-key.pem', 'roster-agent-ca.pem']);
  });

  it('--dir and --ca/--key elsewhere; mistakes in one line, exit 2', () => {
    const other = mkdtempSync(join(dir, 'other-'));
    expect(roster('tls', 'ca', 'create', '--dir', other, '--domain', 'corp', '--days', '30').code).toBe(0);
    expect(roster('tls', 'cert', 'create', '--client', '--domain', 'corp', '--dir', other).out).toBe(`saved ${join(other, 'dc1-client-roster-0.pem')}\nsaved ${join(other, 'dc1-client-roster-0-key.pem')}`);
    // The CA of the current dir signs, written to --dir.
    const out = mkdtempSync(join(dir, 'out-'));
    expect(roster('tls', 'cert', 'create', '--cli', '--ca', 'roster-agent-ca.pem', '--key', 'roster-agent-ca-key.pem', '--dir', out).code).toBe(0);

    const cases: [string[], string][] = [
      [['tls', 'cert', 'create'], 'give exactly one of --server, --client or --cli'],
      [['tls', 'cert', 'create', '--server', '--cli'], 'give exactly one of --server, --client or --cli (got --server and --cli)'],
      [['tls', 'cert', 'create', '--server', '--additional-ipaddress', '10.0.0.300'], '--additional-ipaddress: "10.0.0.300" is not an IP address'],
      [['tls', 'cert', 'create', '--server', '--additional-dnsname', 'no spaces'], '--additional-dnsname: "no spaces" is not a DNS name'],
      [['tls', 'cert', 'create', '--server', '--days', 'soon'], '--days must be a whole number of at least 1'],
      [['tls', 'ca', 'create', '--days', '99999999'], '--days must be at most 36500'],
      [['tls', 'cert', 'create', '--server', '--dir', out], `cannot read ${join(out, 'roster-agent-ca.pem')}: ENOENT (make a CA with roster tls ca create, or name it with --ca)`],
      [['tls', 'ca', 'create', '--domain', 'no_underscores'], '--domain: "no_underscores" is not a DNS name'],
      [['tls', 'cert', 'create', '--client', '--node', 'n1'], '--node is for server certificates (--server) only'],
      [['tls', 'cert', 'create', '--server', '--node', 'n.1'], '--node: "n.1" must be one DNS label (letters, digits, hyphens) to name a server in its certificate'],
      [['tls', 'ca', 'create', '--client'], 'unknown flag --client for roster tls ca create (see roster tls ca create --help)'],
    ];
    for (const [args, err] of cases) expect(roster(...args), args.join(' ')).toEqual({ code: 2, out: '', err: `roster: ${err}` });
    // --node names the server in its certificate: the identity its Raft peers check.
    const named = mkdtempSync(join(dir, 'named-'));
    expect(roster('tls', 'cert', 'create', '--server', '--node', 'N2', '--dir', named, '--ca', 'roster-agent-ca.pem', '--key', 'roster-agent-ca-key.pem').code).toBe(0);
    expect(new X509Certificate(readFileSync(join(named, 'dc1-server-roster-0.pem'))).subjectAltName).toBe('DNS:server.dc1.roster, DNS:n2.server.dc1.roster, DNS:localhost, IP Address:127.0.0.1');
    // A key that is not the CA's: the files are wrong, not the command line.
    expect(roster('tls', 'cert', 'create', '--server', '--key', join(other, 'roster-agent-ca-key.pem'))).toEqual({ code: 1, out: '', err: `roster: ${join(other, 'roster-agent-ca-key.pem')} is not the private key of roster-agent-ca.pem` });
  });

  it('help: the group, and each command with its flags', () => {
    expect(roster('tls', '--help').out).toMatch(/^usage: roster tls <command>.*\n\ncommands:\n {2}tls ca create .*\n {2}tls cert create /);
    expect(roster('tls', 'cert', 'create', '--help').out.split('\n')[0]).toBe('usage: roster tls cert create [--server] [--client] [--cli] [--dc DC] [--domain D] [--days N] [--node NAME] [--additional-dnsname NAME] [--additional-ipaddress IP] [--ca FILE] [--key FILE] [--dir DIR]');
    expect(roster('tls', 'cert', 'create', '--help').out).toContain('--additional-dnsname NAME   more DNS names to put in it (comma-separated, or repeat the flag)');
    expect(roster('--help').out).toContain('\n  tls ca create ');
  });
});
