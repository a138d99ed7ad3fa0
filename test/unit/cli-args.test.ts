import { describe, expect, it } from 'vitest';
import { agentAddress, maintenanceRequest } from '../../src/cli/agent-commands.js';
import { parseCommandLine, type CommandLine } from '../../src/cli/args.js';
import { COMMANDS, commandHelp, synopsis } from '../../src/cli/commands.js';
import { endpointList } from '../../src/cli/endpoint-list.js';
import { VERSION } from '../../src/util/version.js';
import { errorText } from '../../src/cli/error-text.js';
import { parseTxn, txnRequest } from '../../src/cli/txn.js';
import { UsageError } from '../../src/cli/usage-error.js';

const run = (argv: string[]): Extract<CommandLine, { kind: 'run' }> => {
  const r = parseCommandLine(argv);
  if (r.kind !== 'run') throw new Error(`expected a command, got help: ${r.text.split('\n')[0]!}`);
  return r;
};
const usageError = (f: () => unknown): string => {
  try {
    f();
  } catch (err) {
    if (err instanceof UsageError) return err.message;
    throw err;
  }
  throw new Error('no UsageError');
};

describe('roster command line', () => {
  it('a boolean flag takes only true or false: --prefix=no is refused, not taken for --prefix', () => {
    expect(() => parseCommandLine(['kv', 'get', 'a', '--prefix=no'])).toThrow('--prefix is true or false, got "no"');
    expect(run(['kv', 'get', 'a', '--prefix=false']).flags.prefix).toBe(false);
  });

  it('finds the command, its arguments and flags, wherever the flags are', () => {
    const r = run(['--endpoint', 'h:1', 'kv', 'get', 'a/', '--prefix', '--format=json']);
    expect(r.command.name).toBe('kv get');
    expect(r.words).toEqual(['kv', 'get', 'a/']);
    expect(r.flags).toEqual({ endpoint: 'h:1', prefix: true, format: 'json' });
    expect(r.json).toBe(true);
    expect(run(['kv', 'get', 'a', '--prefix=false']).flags.prefix).toBe(false);
    // After `--`, words are arguments even when they look like flags...
    expect(run(['kv', 'put', 'k', '--', '--not-a-flag']).args).toEqual(['k', '--not-a-flag']);
    // ...and for roster lock, the command to run.
    const lock = run(['lock', 'jobs/x', '--ttl-ms', '2000', '--', 'sh', '-c', 'exit 3', '--help']);
    expect(lock.args).toEqual(['jobs/x']);
    expect(lock.exec).toEqual(['sh', '-c', 'exit 3', '--help']);
    expect(lock.flags).toEqual({ 'ttl-ms': '2000' });
  });

  it('--help (or help CMD) shows the command\'s own help; a group lists its commands', () => {
    for (const c of COMMANDS) {
      const r = parseCommandLine([...c.name.split(' '), '--help']);
      expect(r).toEqual({ kind: 'help', text: commandHelp(c), exitCode: 0 });
      expect(commandHelp(c).split('\n')[0]).toBe(`usage: ${synopsis(c)}`);
    }
    expect(parseCommandLine(['help', 'kv', 'put'])).toEqual(parseCommandLine(['kv', 'put', '--help']));
    expect(parseCommandLine(['kv', 'put', 'k', 'v', '--lease', '1', '-h'])).toEqual(parseCommandLine(['kv', 'put', '--help']));
    const group = parseCommandLine(['operator', 'raft', '--help']);
    expect(group.kind === 'help' && group.text.split('\n').filter((l) => l.startsWith('  operator raft '))).toHaveLength(5);
    const general = parseCommandLine(['--help']);
    expect(general.kind === 'help' && general.exitCode).toBe(0);
    for (const c of COMMANDS) expect(general.kind === 'help' && general.text).toContain(`  ${c.name}`);
    expect(parseCommandLine([])).toMatchObject({ kind: 'help', exitCode: 2 });
  });

  it('names every mistake in one line', () => {
    const cases: [string[], string][] = [
      [['kv', 'get', 'a', '--bogus'], 'unknown flag --bogus for roster kv get (see roster kv get --help)'],
      [['kv', 'get', 'a', '--lease', '5'], 'unknown flag --lease for roster kv get (see roster kv get --help)'],
      [['frob'], 'unknown command: frob (see roster --help)'],
      [['kv', 'frob'], 'unknown command: kv frob (see roster kv --help)'],
      [['operator', 'raft', 'frob'], 'unknown command: operator raft frob (see roster operator raft --help)'],
      [['kv'], 'kv needs a subcommand: put, get, del, watch, txn (see roster kv --help)'],
      [['kv', 'put', 'k'], 'usage: roster kv put KEY VALUE [--lease ID]'],
      [['kv', 'put', 'k', 'v', '--lease'], '--lease needs a value'],
      [['kv', 'get', 'k', '--format', 'xml'], '--format must be table or json'],
      [['lock', 'x'], 'usage: roster lock NAME [--ttl-ms MS] [--timeout-ms MS] [--lock-delay-ms MS] [--node N] -- CMD [ARGS...] (the command to run goes after --)'],
      [['services', 'register', 'web'], '--port is required (usage: roster services register NAME --port P [--id ID] [--address A] [--tags a,b] [--http URL] [--tcp HOST:PORT] [--ttl-ms MS] [--interval-ms MS] [--agent HOST:PORT] [--node N] [--node-address A])'],
      [['leave', '--endpoint', 'h:1'], 'unknown flag --endpoint for roster leave (see roster leave --help)'],
      [['maint', 'disable', '--reason', 'x'], 'unknown flag --reason for roster maint disable (see roster maint disable --help)'],
      [['lock', 'x', '--format', 'json', '--', 'true'], "roster lock prints nothing of its own to format (its output is its command's): leave out --format"],
      // A flag one or two letters off is named with the one meant.
      [['kv', 'get', 'a', '--prefx'], 'unknown flag --prefx for roster kv get (did you mean --prefix? see roster kv get --help)'],
      [['kv', 'put', 'k', 'v', '--leese', '5'], 'unknown flag --leese for roster kv put (did you mean --lease? see roster kv put --help)'],
      [['--endpont', 'h:1', 'kv', 'get', 'a'], 'unknown flag --endpont (did you mean --endpoint? see roster --help)'],
    ];
    for (const [argv, message] of cases) expect(usageError(() => parseCommandLine(argv)), argv.join(' ')).toBe(message);
  });
});

describe('roster leave / maint: arguments', () => {
  it('maint enable|disable builds the agent request', () => {
    expect(maintenanceRequest('enable', {})).toEqual({ enable: true, serviceId: '', reason: '' });
    expect(maintenanceRequest('enable', { service: 'web-1', reason: 'kernel upgrade' })).toEqual({ enable: true, serviceId: 'web-1', reason: 'kernel upgrade' });
    expect(maintenanceRequest('disable', { service: 'web-1' })).toEqual({ enable: false, serviceId: 'web-1', reason: '' });
    expect(usageError(() => maintenanceRequest('on', {}))).toBe('maint takes enable or disable, got "on"');
    expect(usageError(() => maintenanceRequest('enable', { service: ' ' }))).toBe('--service needs a service id');
    expect(usageError(() => maintenanceRequest('disable', { reason: 'x' }))).toBe('--reason goes with maint enable');
  });

  it('the agent address: --agent, else $ROSTER_AGENT, else 127.0.0.1:8500; host:port only', () => {
    expect(agentAddress({}, {})).toBe('127.0.0.1:8500');
    expect(agentAddress({}, { ROSTER_AGENT: '127.0.0.10:8500' })).toBe('127.0.0.10:8500');
    expect(agentAddress({ agent: 'h:9' }, { ROSTER_AGENT: '127.0.0.10:8500' })).toBe('h:9');
    expect(usageError(() => agentAddress({ agent: 'nope' }, {}))).toBe('--agent must be host:port, got "nope"');
    expect(usageError(() => agentAddress({ agent: 'h:0' }, {}))).toBe('--agent must be host:port, got "h:0"');
    expect(usageError(() => agentAddress({}, { ROSTER_AGENT: 'h:99999' }))).toBe('$ROSTER_AGENT must be host:port, got "h:99999"');
  });
});

describe('roster kv txn: the text format', () => {
  it('reads compares, success ops and failure ops, with quotes and comments', () => {
    const t = parseTxn(['# comment', 'value("a b") = "x \\"y\\""', 'version(k) > 0', 'mod("k") < 10', 'create("n") = 0', 'lease("k") != 7', '', 'put "a b" "v w" --lease 12', 'get p --prefix', '', 'del k', 'delete p --prefix', ''].join('\n'));
    expect(t.compare).toEqual([
      { target: 'VALUE', result: 'EQUAL', key: 'a b', operand: 'x "y"' },
      { target: 'VERSION', result: 'GREATER', key: 'k', operand: '0' },
      { target: 'MOD', result: 'LESS', key: 'k', operand: '10' },
      { target: 'CREATE', result: 'EQUAL', key: 'n', operand: '0' },
      { target: 'LEASE', result: 'NOT_EQUAL', key: 'k', operand: '7' },
    ]);
    expect(t.success).toEqual([
      // Lease ids are hex, as etcdctl's: 12 is 18.
      { op: 'put', key: 'a b', value: 'v w', lease: '18' },
      { op: 'get', key: 'p', prefix: true },
    ]);
    expect(t.failure).toEqual([
      { op: 'del', key: 'k', prefix: false },
      { op: 'del', key: 'p', prefix: true },
    ]);
    const req = txnRequest(t) as { compare: Record<string, unknown>[]; success: Record<string, { key: Buffer; rangeEnd?: Buffer }>[] };
    expect(req.compare[1]).toEqual({ result: 'GREATER', target: 'VERSION', key: Buffer.from('k'), version: '0' });
    expect(req.compare[0]).toMatchObject({ target: 'VALUE', value: Buffer.from('x "y"') });
    expect(req.success[1]!.requestRange).toEqual({ key: Buffer.from('p'), rangeEnd: Buffer.from('q') });
    // Ops only, no compares: an empty first section.
    expect(parseTxn('\nput k v\n').success).toEqual([{ op: 'put', key: 'k', value: 'v' }]);
    // A quoted value is never a flag.
    expect(parseTxn('\nput k "--prefix"\n').success).toEqual([{ op: 'put', key: 'k', value: '--prefix' }]);
  });

  it('names the line of every mistake', () => {
    const cases: [string, string][] = [
      ['put k v\n', 'line 1: not a compare: put k v (expected e.g. value("k") = "v" or version("k") > 0; a blank line ends the compares)'],
      ['valu("k") = "v"\n', 'line 1: unknown compare target valu (value, version, create, mod or lease)'],
      ['version("k") > x\n', 'line 1: version(...) compares with a whole number, got x'],
      ['value("k") ~ "v"\n', 'line 1: not a compare: value("k") ~ "v" (expected e.g. value("k") = "v" or version("k") > 0; a blank line ends the compares)'],
      ['\n\nfetch k\n', 'line 3: not an operation: fetch k (expected put, get or del)'],
      ['\nvalue("k") = "v"\n', 'line 2: not an operation: value("k") = "v" (expected put, get or del; compares go before the first blank line)'],
      ['\nput k\n', 'line 2: expected put KEY VALUE [--lease ID], got: put k'],
      ['\nput k v --lease x\n', 'line 2: --lease must be a lease id: hex as etcdctl prints it (694d77aa9e38260f), or decimal; got "x"'],
      ['\nget k --limit\n', 'line 2: expected get KEY [--prefix], got: get k --limit'],
      ['\nput k "v\n', 'line 2: unterminated quote'],
      ['\n\n\n\nput k v\n', 'line 5: text after the failure operations (a transaction is three sections: compares, success ops, failure ops, separated by one blank line)'],
      ['\n\n', 'the transaction is empty (see roster kv txn --help)'],
    ];
    for (const [text, message] of cases) expect(usageError(() => parseTxn(text)), JSON.stringify(text)).toBe(message);
  });
});

describe('roster --version and the endpoints', () => {
  it('--version prints the version, wherever it is given', () => {
    expect(parseCommandLine(['--version'])).toEqual({ kind: 'help', text: `roster ${VERSION}`, exitCode: 0 });
    expect(parseCommandLine(['kv', 'get', 'x', '--version'])).toMatchObject({ kind: 'help', text: `roster ${VERSION}` });
  });

  it('--endpoints, --endpoint and the environment name every server to try, in order', () => {
    expect(endpointList({ endpoints: 'a:1, b:2,c:3' }, {})).toEqual(['a:1', 'b:2', 'c:3']);
    expect(endpointList({ endpoint: 'a:1,b:2' }, { ROSTER_ENDPOINTS: 'x:9' })).toEqual(['a:1', 'b:2']);
    expect(endpointList({}, { ROSTER_ENDPOINTS: 'x:9,y:9', ROSTER_ENDPOINT: 'z:9' })).toEqual(['x:9', 'y:9']);
    expect(endpointList({}, { ROSTER_ENDPOINT: 'z:9' })).toEqual(['z:9']);
    expect(endpointList({}, {})).toEqual(['127.0.0.1:8502']);
    expect(usageError(() => endpointList({ endpoints: 'a:1,nope' }, {}))).toBe('--endpoints must be host:port[,host:port...], got "nope"');
    expect(usageError(() => endpointList({ endpoints: ' , ' }, {}))).toBe('--endpoints names no server (host:port[,host:port...])');
    expect(usageError(() => endpointList({}, { ROSTER_ENDPOINTS: 'bad' }))).toBe('$ROSTER_ENDPOINTS must be host:port[,host:port...], got "bad"');
  });
});

describe('roster error messages', () => {
  it('drop gRPC framing and keep one line', () => {
    const howTo = ' (is a server running there? start one with `npm start` or `roster agent --server ...`, or name others with --endpoints)';
    expect(errorText({ details: 'No connection established. Last error: Error: connect ECONNREFUSED 127.0.0.1:1. Resolution note: ', message: '14 UNAVAILABLE: ...' }, '127.0.0.1:1, 127.0.0.2:1')).toBe(`cannot connect to 127.0.0.1:1, 127.0.0.2:1: connect ECONNREFUSED 127.0.0.1:1${howTo}`);
    expect(errorText({ details: 'No connection established. Last error: null. Resolution note: ' }, '127.0.0.1:1')).toBe(`cannot connect to 127.0.0.1:1${howTo}`);
    expect(errorText(new Error('14 UNAVAILABLE: no leader'))).toBe('no leader');
    expect(errorText(new Error('first\n  second'))).toBe('first; second');
  });
});
