import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, freePort, TestCluster } from './cluster-harness.js';

const ROSTER = resolve(import.meta.dirname, '../../bin/roster.mjs');

/** A roster process running in the background, its output collected as it comes. */
interface Running {
  readonly proc: ChildProcessWithoutNullStreams;
  out: string;
  err: string;
  readonly exited: Promise<number>;
}

/** The roster CLI's data commands against a 3-server cluster (any server answers). */
describe('roster CLI: kv, txn, services, catalog, health, lease, lock, watch, help', () => {
  let c: TestCluster;
  let endpoint: string;
  beforeAll(async () => {
    // Gossiping, as deployed: the leader then knows every server's version (features.ts).
    c = await TestCluster.start({ servers: 3, hostBase: 160, gossip: { extraArgs: [] } });
    endpoint = c.servers[1]!.clientAddr;
  });
  afterAll(async () => {
    await c?.destroy();
  });

  /** The arguments with --endpoint added (before a `--`, after which roster lock's command goes). */
  const withEndpoint = (args: readonly string[]): string[] => {
    const i = args.indexOf('--');
    return i < 0 ? [...args, '--endpoint', endpoint] : [...args.slice(0, i), '--endpoint', endpoint, ...args.slice(i)];
  };

  const rosterWith = (input: string | undefined, ...args: string[]): { code: number; out: string; err: string } => {
    const r = spawnSync(process.execPath, [ROSTER, ...withEndpoint(args)], { encoding: 'utf8', timeout: 60_000, ...(input === undefined ? {} : { input }) });
    return { code: r.status ?? -1, out: r.stdout.trim(), err: r.stderr.trim() };
  };
  const roster = (...args: string[]): { code: number; out: string; err: string } => rosterWith(undefined, ...args);

  const running: Running[] = [];
  /** Starts roster in the background (stopped after the test file if still running). */
  const start = (...args: string[]): Running => {
    const proc = spawn(process.execPath, [ROSTER, ...withEndpoint(args)]);
    const r: Running = { proc, out: '', err: '', exited: new Promise<number>((res) => proc.once('exit', (code, signal) => res(code ?? (signal === null ? -1 : 128)))) };
    proc.stdout.on('data', (d: Buffer) => (r.out += d.toString()));
    proc.stderr.on('data', (d: Buffer) => (r.err += d.toString()));
    running.push(r);
    return r;
  };
  afterAll(() => {
    for (const r of running) if (r.proc.exitCode === null && r.proc.signalCode === null) r.proc.kill('SIGKILL');
  });
  /** Waits (bounded) until a background roster's output satisfies `ok`. */
  const until = (what: string, ok: () => boolean, timeoutMs = 20_000): Promise<true> => eventually(what, () => Promise.resolve(ok() ? true : undefined), timeoutMs, 25);
  /** Waits (bounded) for a background roster to exit. */
  const exitOf = (r: Running, timeoutMs = 30_000): Promise<number> =>
    Promise.race([r.exited, new Promise<number>((_, rej) => setTimeout(() => rej(new Error(`roster did not exit in ${timeoutMs} ms; stderr: ${r.err}`)), timeoutMs).unref())]);

  it('--endpoints fails over past servers that cannot be reached; --version; with none reachable it names what it tried and what to do', () => {
    const bare = (args: string[], env: Record<string, string> = {}): { code: number; out: string; err: string } => {
      const r = spawnSync(process.execPath, [ROSTER, ...args], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, ...env } });
      return { code: r.status ?? -1, out: r.stdout.trim(), err: r.stderr.trim() };
    };
    const dead = '127.0.0.1:1';
    const good = c.servers[2]!.clientAddr;
    expect(bare(['kv', 'put', 'ep/a', 'one', '--endpoints', `${dead},${good}`])).toMatchObject({ code: 0, out: 'OK' });
    expect(bare(['kv', 'get', 'ep/a', '--endpoint', `${dead},${good}`]).out).toBe('one');
    expect(bare(['kv', 'get', 'ep/a'], { ROSTER_ENDPOINTS: `${dead},${good}` }).out).toBe('one');
    expect(bare(['operator', 'raft', 'list-peers', '--endpoints', `${dead},${good}`, '--format', 'json']).code).toBe(0);
    const none = bare(['kv', 'get', 'ep/a', '--endpoints', `${dead},127.0.0.1:2`]);
    expect(none.code).toBe(1);
    expect(none.err).toMatch(/^roster: cannot connect to 127\.0\.0\.1:1, 127\.0\.0\.1:2: .*ECONNREFUSED.* \(is a server running there\? start one with `npm start` or `roster agent --server \.\.\.`, or name others with --endpoints\)$/);
    const version = /^roster \d+\.\d+\.\d+$/;
    expect(bare(['--version']).out).toMatch(version);
    expect(bare(['agent', '--version']).out).toMatch(version);
    // As `npm link` or a global install leaves it: a symlink to bin/roster.mjs, run from elsewhere.
    const elsewhere = mkdtempSync(join(tmpdir(), 'roster-linked-'));
    try {
      symlinkSync(ROSTER, join(elsewhere, 'roster'));
      const linked = spawnSync(join(elsewhere, 'roster'), ['kv', 'get', 'ep/a', '--endpoint', good], { encoding: 'utf8', cwd: elsewhere, timeout: 60_000 });
      expect({ code: linked.status, out: linked.stdout.trim() }).toEqual({ code: 0, out: 'one' });
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it('an agent that cannot start, or a file that is not there, says what to do: --name missing, an address in use, a missing snapshot', async () => {
    const agent = (args: string[]): { code: number; err: string } => {
      const r = spawnSync(process.execPath, [ROSTER, 'agent', ...args], { encoding: 'utf8', timeout: 60_000 });
      return { code: r.status ?? -1, err: r.stderr.trim().split('\n').filter((l) => l.startsWith('roster:')).join('\n') };
    };
    expect(agent([])).toEqual({ code: 2, err: "roster: --name is required: this member's name, unique in the cluster (for example --name n1)" });
    const missing = spawnSync(process.execPath, [ROSTER, 'snapshot', 'inspect', '/nonexistent/state.snap'], { encoding: 'utf8', timeout: 60_000 });
    expect({ code: missing.status, err: missing.stderr.trim() }).toEqual({ code: 2, err: 'roster: no such file: /nonexistent/state.snap (check the path)' });
    const held = createServer();
    await new Promise<void>((r) => held.listen(0, '127.0.0.1', () => r()));
    try {
      const port = (held.address() as { port: number }).port;
      const inUse = agent(['--name', 'x', '--gossip-addr', `127.0.0.1:${port}`]);
      expect(inUse.code).toBe(2);
      expect(inUse.err).toMatch(new RegExp(`^roster: listen EADDRINUSE: address already in use 127\\.0\\.0\\.1:${port} \\(the address is in use: is another Roster already running\\? stop it, or give this one other addresses: --peer-addr, `));
    } finally {
      held.close();
    }
  });

  it('a server waiting for --bootstrap-expect answers every call UNAVAILABLE with what it waits for and has seen', async () => {
    const host = '127.0.0.169';
    const [gossip, peer, client] = [await freePort(host), await freePort(host), await freePort(host)];
    const dir = mkdtempSync(join(tmpdir(), 'roster-waiting-'));
    const lone = spawn(process.execPath, [ROSTER, 'agent', '--server', '--name', 'lone', '--bootstrap-expect', '3', '--data-dir', dir, '--gossip-addr', `${host}:${gossip}`, '--peer-addr', `${host}:${peer}`, '--client-addr', `${host}:${client}`, '--insecure-peers']);
    try {
      const waiting = 'waiting for 3 servers to bootstrap the cluster (--bootstrap-expect 3), seen 1: lone';
      const asked = await eventually('the waiting answer', () => {
        const r = spawnSync(process.execPath, [ROSTER, 'kv', 'get', 'k', '--endpoint', `${host}:${client}`], { encoding: 'utf8', timeout: 30_000 });
        return Promise.resolve(r.stderr.includes('waiting for') ? { code: r.status, err: r.stderr.trim() } : undefined);
      }, 20_000, 200);
      expect(asked).toEqual({ code: 1, err: `roster: ${waiting}` });
      const write = spawnSync(process.execPath, [ROSTER, 'kv', 'put', 'k', 'v', '--endpoint', `${host}:${client}`], { encoding: 'utf8', timeout: 30_000 });
      expect({ code: write.status, err: write.stderr.trim() }).toEqual({ code: 1, err: `roster: ${waiting}` });
      const etcd = spawnSync('etcdctl', [`--endpoints=${host}:${client}`, '--command-timeout=3s', 'get', 'k'], { encoding: 'utf8', env: { ...process.env, ETCDCTL_API: '3' } });
      expect(etcd.stderr).toContain(`code = Unavailable desc = ${waiting}`);
    } finally {
      lone.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('operator raft remove-peer tells gossip too: a failed server leaves the pool and the catalog at once', async () => {
    const leader = await c.waitForLeader();
    const at = (addr: string, ...args: string[]): { code: number; out: string; err: string } => {
      const r = spawnSync(process.execPath, [ROSTER, ...args, '--endpoint', addr], { encoding: 'utf8', timeout: 60_000 });
      return { code: r.status ?? -1, out: r.stdout.trim(), err: r.stderr.trim() };
    };
    const statusOf = (name: string): string | undefined => (JSON.parse(at(leader.clientAddr, 'members', '--format', 'json').out) as { name: string; status: string }[]).find((m) => m.name === name)?.status;
    const fresh = await c.addServer();
    expect(at(leader.clientAddr, 'operator', 'raft', 'add-learner', fresh.name, fresh.peerAddr).code).toBe(0);
    await c.launch(fresh, 'existing');
    await eventually('the new server alive in the pool', () => Promise.resolve(statusOf(fresh.name) === 'alive' ? true : undefined), 30_000);
    await eventually('its catalog node', () => Promise.resolve(at(leader.clientAddr, 'catalog', 'nodes').out.includes(fresh.name) ? true : undefined), 30_000);
    c.kill9(fresh);
    await eventually('the killed server failed in the pool', () => Promise.resolve(statusOf(fresh.name) === 'failed' ? true : undefined), 30_000, 200);
    const removed = at(c.servers[1]!.clientAddr, 'operator', 'raft', 'remove-peer', fresh.name);
    expect(removed.code, removed.err).toBe(0);
    expect(removed.out.split('\n').at(-1)).toBe(`${fresh.name} also left the gossip pool and the catalog`);
    expect(statusOf(fresh.name)).toBe('left');
    await eventually('its catalog node gone', () => Promise.resolve(at(leader.clientAddr, 'catalog', 'nodes').out.includes(fresh.name) ? undefined : true), 10_000);
  });

  it('kv put, get (one key, a prefix, JSON), del', () => {
    expect(roster('kv', 'put', 'cfg/a', '1').out).toBe('OK');
    expect(roster('kv', 'put', 'cfg/b', 'two words').out).toBe('OK');
    // The value alone (a script's $(roster kv get KEY)); a prefix as etcdctl prints it; --detailed the table.
    expect(roster('kv', 'get', 'cfg/b').out).toBe('two words');
    expect(roster('kv', 'get', 'cfg/', '--prefix').out).toBe('cfg/a\n1\ncfg/b\ntwo words');
    expect(roster('kv', 'get', 'cfg/a', '--detailed').out.split('\n')[1]).toMatch(/^cfg\/a\s+1\s+\d+$/);
    const json = JSON.parse(roster('kv', 'get', 'cfg/', '--prefix', '--format', 'json').out) as { key: string; value: string }[];
    expect(json.map((x) => `${x.key}=${x.value}`)).toEqual(['cfg/a=1', 'cfg/b=two words']);
    expect(roster('kv', 'del', 'cfg/', '--prefix').out).toBe('deleted 2');
    const missing = roster('kv', 'get', 'cfg/a');
    expect(missing.code).toBe(1);
    expect(missing.err).toBe('roster: key not found: cfg/a');
  });

  it('services register, catalog services and nodes, health, services deregister', () => {
    expect(roster('services', 'register', 'billing', '--port', '9000', '--node', 'host-7', '--node-address', '10.1.0.7', '--tags', 'v2,grpc').out).toBe('registered billing-host-7 on node host-7');
    expect(roster('catalog', 'services').out).toMatch(/^SERVICE\s+TAGS\s+INSTANCES\s+PASSING\nbilling\s+grpc,v2\s+1\s+1$/m);
    expect(roster('catalog', 'nodes').out).toMatch(/^NODE\s+ADDRESS\s+DC\s+SOURCE\n(.*\n)*host-7\s+10\.1\.0\.7\s+dc1\s+registration$/m);
    expect(roster('health', 'billing').out.split('\n')[1]).toMatch(/^billing-host-7\s+host-7\s+10\.1\.0\.7\s+9000\s+passing$/);
    expect(roster('services', 'deregister', 'billing-host-7', '--node', 'host-7').out).toBe('deregistered billing-host-7 from node host-7');
    expect(roster('health', 'billing').out.split('\n')).toHaveLength(1);
    // The node existed for its service only: it went with it.
    expect(roster('catalog', 'nodes').out).not.toContain('host-7');
  });

  it('lease grant, list, revoke, with ids in hex as etcdctl prints and reads them (decimal too)', () => {
    const id = /^lease ([0-9a-f]{16}) granted with TTL\(30s\)$/.exec(roster('lease', 'grant', '30').out)?.[1];
    expect(id).toBeDefined();
    expect(roster('lease', 'list').out.split('\n')).toContain(id);
    // The id etcdctl prints works for roster, and roster's for etcdctl's put.
    expect(roster('kv', 'put', 'leased/a', 'x', '--lease', id!).out).toBe('OK');
    const decimal = JSON.parse(roster('lease', 'list', '--format', 'json').out) as string[];
    expect(decimal).toContain(BigInt(`0x${id!}`).toString());
    expect(roster('lease', 'revoke', BigInt(`0x${id!}`).toString()).out).toBe(`lease ${id} revoked`);
    expect(roster('lease', 'list').out.split('\n')).not.toContain(id);
    expect(roster('kv', 'get', 'leased/a').code).toBe(1);
    expect(roster('lease', 'revoke', 'not-an-id')).toMatchObject({ code: 2, err: 'roster: ID must be a lease id: hex as etcdctl prints it (694d77aa9e38260f), or decimal; got "not-an-id"' });
  });

  it('kv watch prints each change as it happens, then stops after --count', async () => {
    const watch = spawn(process.execPath, [ROSTER, 'kv', 'watch', 'w/', '--prefix', '--count', '2', '--endpoint', endpoint]);
    let out = '';
    watch.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number>((r) => watch.once('exit', (code) => r(code ?? -1)));
    try {
      // The watch is in place once a put shows up; keep writing until it does.
      for (let i = 0; i < 100 && !out.includes('PUT'); i++) {
        roster('kv', 'put', 'w/x', String(i));
        await new Promise((r) => setTimeout(r, 100));
      }
      roster('kv', 'del', 'w/x');
      expect(await exited).toBe(0);
      expect(out.trim().split('\n')).toHaveLength(2);
      expect(out).toMatch(/^PUT w\/x \d+\n/);
    } finally {
      watch.kill();
    }
  });

  it('bad input: one line on stderr and a non-zero exit', () => {
    for (const args of [['kv', 'put', 'only-key'], ['services', 'register', 'x'], ['lease', 'grant', 'soon'], ['kv', 'get', 'a', '--port', '1'], ['catalog', 'everything']]) {
      const r = roster(...args);
      expect(r.code, args.join(' ')).not.toBe(0);
      expect(r.err.split('\n'), args.join(' ')).toHaveLength(1);
    }
  });
  it('kv txn: the success branch when the compares hold, the failure branch when not', () => {
    expect(roster('kv', 'put', 'txn/k', 'v1').out).toBe('OK');
    const txn = ['# swap v1 for v2', 'value("txn/k") = "v1"', 'version("txn/k") > 0', '', 'put txn/k v2', 'get txn/k', '', 'get txn/k', 'del txn/nothing', ''].join('\n');
    const first = rosterWith(txn, 'kv', 'txn');
    expect(first).toEqual({ code: 0, out: 'SUCCESS\nput txn/k: OK\nget txn/k: v2', err: '' });
    const second = rosterWith(txn, 'kv', 'txn');
    expect(second).toEqual({ code: 0, out: 'FAILURE\nget txn/k: v2\ndel txn/nothing: deleted 0', err: '' });

    // From a file, JSON out: create the key only if it does not exist (create revision 0).
    const dir = mkdtempSync(join(tmpdir(), 'roster-cli-txn-'));
    try {
      const file = join(dir, 'txn.txt');
      writeFileSync(file, 'create("txn/new") = 0\nmod("txn/k") < 1000000\n\nput txn/new "two words"\n\nget txn/ --prefix\n');
      const made = JSON.parse(roster('kv', 'txn', '--file', file, '--format', 'json').out) as { succeeded: boolean; revision: number; results: { op: string; key: string }[] };
      expect(made.succeeded).toBe(true);
      expect(made.results).toEqual([{ op: 'put', key: 'txn/new' }]);
      expect(roster('kv', 'get', 'txn/new').out).toBe('two words');
      const again = rosterWith(undefined, 'kv', 'txn', '--file', file);
      expect(again.out.split('\n')).toEqual(['FAILURE', 'get txn/ --prefix: 2 key(s)', '  txn/k = v2', '  txn/new = two words']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }

    const bad = rosterWith('value("txn/k") = "v2"\n\nput txn/k\n', 'kv', 'txn');
    expect(bad.code).toBe(2);
    expect(bad.err).toBe('roster: line 3: expected put KEY VALUE [--lease ID], got: put txn/k');
    const misplaced = rosterWith('put txn/k v3\n', 'kv', 'txn');
    expect(misplaced.code).toBe(2);
    expect(misplaced.err).toMatch(/^roster: line 1: not a compare: put txn\/k v3 /);
    expect(roster('kv', 'get', 'txn/k').out).toBe('v2');
  });

  it('lock: a second holder waits until the first command exits; exit codes pass through; --timeout-ms gives up', async () => {
    const node = process.execPath;
    const a = start('lock', 'cli/job', '--', node, '-e', "console.log('A running'); process.stdin.once('data', () => { console.log('A done'); process.exit(3); })");
    await until('A holds the lock and runs its command', () => a.out.includes('A running'));
    const b = start('lock', 'cli/job', '--', node, '-e', "console.log('B running')");
    await until('B waits for the lock', () => b.err.includes('roster: waiting for lock cli/job'));

    const gaveUp = start('lock', 'cli/job', '--timeout-ms', '1000', '--', node, '-e', "console.log('C running')");
    expect(await exitOf(gaveUp)).toBe(1);
    expect(gaveUp.out).toBe('');
    expect(gaveUp.err.trim().split('\n').at(-1)).toBe('roster: lock cli/job not acquired within 1000 ms');

    expect(b.out).toBe(''); // still waiting: A's command has not exited
    a.proc.stdin.write('go\n');
    expect(await exitOf(a)).toBe(3);
    expect(a.out).toBe('A running\nA done\n');
    expect(await exitOf(b)).toBe(0);
    expect(b.out).toBe('B running\n');
    // Both released: the lock is free again, so a new holder gets it at once.
    expect(roster('lock', 'cli/job', '--timeout-ms', '5000', '--', node, '-e', 'process.exit(0)').code).toBe(0);
  });

  it('lock: when the session is lost while the command runs, it gets SIGTERM and roster exits 1', async () => {
    const h = start('lock', 'cli/lost', '--node', 'cli-lock-node', '--ttl-ms', '3000', '--', process.execPath, '-e', "console.log('running'); setInterval(() => {}, 1000)");
    await until('the command runs', () => h.out.includes('running'));
    const { sessions } = await c.rcall<{ sessions: { id: string }[] }>(c.servers[0]!, 'Sessions', 'List', { node: 'cli-lock-node' });
    expect(sessions).toHaveLength(1);
    await c.rcall(c.servers[0]!, 'Sessions', 'Destroy', { id: sessions[0]!.id });
    expect(await exitOf(h)).toBe(1);
    expect(h.err).toMatch(/^roster: lock cli\/lost lost \(.*\): stopping .* with SIGTERM$/m);
  });

  it('watch service prints the instances, then each change as it happens, and stops after --count', async () => {
    const w = start('watch', 'service', 'orders', '--count', '2');
    const j = start('watch', 'services', '--count', '1', '--format', 'json');
    await until('both watches have their snapshot', () => w.out.includes('SNAPSHOT') && j.out.includes('"snapshot"'));
    expect(w.out).toMatch(/^SNAPSHOT \d+ \(empty\)\n$/);
    expect(roster('services', 'register', 'orders', '--port', '7000', '--node', 'host-9', '--node-address', '10.1.0.9', '--tags', 'v1').code).toBe(0);
    expect(roster('services', 'deregister', 'orders-host-9', '--node', 'host-9').code).toBe(0);
    expect(await exitOf(w)).toBe(0);
    const lines = w.out.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(/^ADDED \d+ instance orders-host-9 service=orders node=host-9 address=10\.1\.0\.9:7000 status=passing tags=v1$/);
    expect(lines[2]).toMatch(/^REMOVED \d+ instance orders-host-9 /);
    expect(await exitOf(j)).toBe(0);
    const events = j.out.trim().split('\n').map((l) => JSON.parse(l) as { event: string; item?: { name: string } });
    expect(events.map((e) => e.event)).toEqual(['snapshot', 'added']);
    expect(events[1]!.item?.name).toBe('orders');
  });

  it('--help on every command prints its own usage and exits 0; unknown flags and commands exit 2', () => {
    const cases: [string[], string][] = [
      [['kv', 'put', '--help'], 'usage: roster kv put KEY VALUE [--lease ID]'],
      [['kv', 'txn', '--help'], 'usage: roster kv txn [--file FILE]'],
      [['operator', 'raft', 'list-peers', '--help'], 'usage: roster operator raft list-peers'],
      [['lock', '--help'], 'usage: roster lock NAME [--ttl-ms MS] [--timeout-ms MS] [--lock-delay-ms MS] [--node N] -- CMD [ARGS...]'],
      [['watch', 'service', '--help'], 'usage: roster watch service NAME [--passing] [--tag TAG] [--count N]'],
      [['maint', 'enable', '--help'], 'usage: roster maint enable [--service ID] [--reason TEXT]'],
      [['leave', '--help'], 'usage: roster leave'],
      [['snapshot', 'restore', '--help'], 'usage: roster snapshot restore FILE --name N --data-dir D --initial-cluster n1=h:p,... [--initial-cluster-token T]'],
      [['help', 'health'], 'usage: roster health SERVICE [--passing]'],
    ];
    for (const [args, synopsis] of cases) {
      const r = roster(...args);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.out.split('\n')[0], args.join(' ')).toBe(synopsis);
      expect(r.out, args.join(' ')).toMatch(/\nflags:\n {2}--/);
    }
    const all = roster('--help');
    expect(all.code).toBe(0);
    for (const cmd of ['kv txn', 'lock NAME -- CMD...', 'watch service NAME', 'watch checks', 'leave', 'maint enable', 'maint disable', 'operator raft list-peers', 'snapshot save FILE']) expect(all.out).toContain(`\n  ${cmd} `);

    const unknownFlag = roster('kv', 'get', 'a', '--bogus');
    expect(unknownFlag).toEqual({ code: 2, out: '', err: 'roster: unknown flag --bogus for roster kv get (see roster kv get --help)' });
    expect(roster('leave')).toEqual({ code: 2, out: '', err: 'roster: unknown flag --endpoint for roster leave (see roster leave --help)' });
    expect(roster('frobnicate')).toEqual({ code: 2, out: '', err: 'roster: unknown command: frobnicate (see roster --help)' });
    expect(roster('kv')).toEqual({ code: 2, out: '', err: 'roster: kv needs a subcommand: put, get, del, watch, txn (see roster kv --help)' });
  });
});
