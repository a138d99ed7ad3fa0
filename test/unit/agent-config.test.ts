import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withOrigin, type ConfigSources } from '../../src/cmd/config/agent-config.js';
import { agentConfig } from '../../src/cmd/config/agent-config-files.js';
import { envVarOf, extractConfigArgs } from '../../src/cmd/config/config-args.js';
import { parseConfigFile } from '../../src/cmd/config/config-file.js';
import { envConfig } from '../../src/cmd/config/env-config.js';
import { configDirFiles, loadAgentConfig } from '../../src/cmd/config/load-config.js';
import { AGENT_FLAGS } from '../../src/cmd/agent-flags.js';
import { type DefinitionError, validateRegistration } from '../../src/agent/local/service-definition.js';
import { RosterError } from '../../src/util/errors.js';

const SPEC = AGENT_FLAGS;

const file = (source: string, doc: unknown): { source: string; text: string } => ({ source, text: JSON.stringify(doc, null, 2) });
const build = (s: Partial<ConfigSources>): ReturnType<typeof agentConfig> => agentConfig({ files: [], env: {}, cli: {}, spec: SPEC, ...s });
const errorOf = (fn: () => unknown): RosterError => {
  try {
    fn();
  } catch (err) {
    if (err instanceof RosterError) return err;
    throw err;
  }
  throw new Error('no error');
};

const webService = {
  name: 'web',
  port: 8080,
  tags: ['v2'],
  meta: { team: 'shop' },
  checks: [
    { http: 'http://127.0.0.1:8080/health', method: 'HEAD', headers: { 'x-probe': 'roster' }, interval_ms: 5000, timeout_ms: 1000 },
    { ttl_ms: 30_000 },
  ],
};

describe('agent config: precedence', () => {
  it('config files < environment < command line, value by value; a later file overrides an earlier one', () => {
    const cfg = build({
      files: [file('/etc/roster/a.json', { name: 'from-a', data_dir: '/a', datacenter: 'dc-a', bootstrap_expect: 3, server: true }), file('/etc/roster/b.json', { data_dir: '/b', log_level: 'debug' })],
      env: { ROSTER_DATA_DIR: '/env', ROSTER_DATACENTER: 'dc-env', ROSTER_BOOTSTRAP_EXPECT: '5', ROSTER_ENDPOINT: 'not-ours:1', ROSTER_NAME: '' },
      cli: { datacenter: 'dc-flag' },
    });
    expect(cfg.flags).toEqual({ name: 'from-a', 'data-dir': '/env', datacenter: 'dc-flag', 'bootstrap-expect': 5, server: true, 'log-level': 'debug' });
    expect(cfg.origins).toEqual({
      name: '/etc/roster/a.json: name',
      'data-dir': 'ROSTER_DATA_DIR',
      datacenter: '--datacenter',
      'bootstrap-expect': 'ROSTER_BOOTSTRAP_EXPECT',
      server: '/etc/roster/a.json: server',
      'log-level': '/etc/roster/b.json: log_level',
    });
    expect(cfg.services).toEqual([]);
  });

  it('environment variables: ROSTER_ and the flag in upper snake case, parsed as the flag would be', () => {
    expect(envVarOf('gossip-probe-interval-ms')).toBe('ROSTER_GOSSIP_PROBE_INTERVAL_MS');
    expect(envConfig({ ROSTER_GOSSIP_ADDR: '127.0.0.1:8301', ROSTER_SERVER: 'false', ROSTER_GOSSIP_SUSPICION_MULT: '6', ROSTER_HELP: 'true' }, SPEC)).toEqual({ 'gossip-addr': '127.0.0.1:8301', server: false, 'gossip-suspicion-mult': 6 });
    expect(errorOf(() => envConfig({ ROSTER_BOOTSTRAP_EXPECT: 'three' }, SPEC)).message).toBe('ROSTER_BOOTSTRAP_EXPECT: expected an integer, got "three"');
    expect(errorOf(() => envConfig({ ROSTER_SERVER: 'yes' }, SPEC)).message).toBe('ROSTER_SERVER: expected true or false, got "yes"');
  });

  it('--config-file and --config-dir are taken out of argv, repeatable, in either form; other flags keep their values', () => {
    const a = extractConfigArgs(['--name', '--config-file', '--config-file', 'a.json', '--server', '--config-dir=/etc/roster.d', '--config-file=b.json', '--data-dir', 'd'], SPEC);
    // "--config-file" right after --name is --name's value.
    expect(a).toEqual({ files: ['a.json', 'b.json'], dirs: ['/etc/roster.d'], rest: ['--name', '--config-file', '--server', '--data-dir', 'd'] });
    expect(() => extractConfigArgs(['--config-dir'], SPEC)).toThrow('--config-dir needs a value');
  });

  it('an error about a setting says where it was set, unless it was a flag', () => {
    const origins = { 'gossip-addr': '/etc/roster/a.json: gossip_addr', 'data-dir': '--data-dir' };
    const err = withOrigin(new RosterError('INVALID_CONFIG', '--gossip-addr: "x" is not host:port', { field: 'gossip-addr' }), origins) as Error;
    expect(err.message).toBe('--gossip-addr: "x" is not host:port (set in /etc/roster/a.json: gossip_addr)');
    expect((withOrigin(new RosterError('INVALID_CONFIG', '--data-dir: is required', { field: '--data-dir' }), origins) as Error).message).toBe('--data-dir: is required');
  });
});

describe('agent config: config dir and files on disk', () => {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'roster-config-unit-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads every *.json of a config dir in lexical order, after the --config-file files; skips other files and directories', async () => {
    const d = join(dir, 'roster.d');
    mkdirSync(d);
    mkdirSync(join(d, 'nested.json'));
    writeFileSync(join(d, 'b.json'), JSON.stringify({ datacenter: 'from-b' }));
    writeFileSync(join(d, 'a.json'), JSON.stringify({ datacenter: 'from-a', name: 'from-a' }));
    writeFileSync(join(d, '10-base.json'), JSON.stringify({ datacenter: 'from-10', name: 'from-10', data_dir: '/10' }));
    writeFileSync(join(d, 'notes.txt'), 'not json at all');
    writeFileSync(join(dir, 'first.json'), JSON.stringify({ datacenter: 'from-file', log_level: 'warn', data_dir: '/file' }));
    expect(await configDirFiles(d)).toEqual([join(d, '10-base.json'), join(d, 'a.json'), join(d, 'b.json')]);
    const cfg = await loadAgentConfig({ files: [join(dir, 'first.json')], dirs: [d], env: {}, cli: {}, spec: SPEC });
    expect(cfg.flags).toEqual({ datacenter: 'from-b', name: 'from-a', 'data-dir': '/10', 'log-level': 'warn' });
    expect(cfg.origins.datacenter).toBe(`${join(d, 'b.json')}: datacenter`);
  });

  it('a missing config file or dir, a file given as a dir and a dir given as a file are clear errors', async () => {
    const load = (files: string[], dirs: string[]): Promise<unknown> => loadAgentConfig({ files, dirs, env: {}, cli: {}, spec: SPEC });
    await expect(load([join(dir, 'nope.json')], [])).rejects.toThrow(`${join(dir, 'nope.json')}: no such config file`);
    await expect(load([], [join(dir, 'nope.d')])).rejects.toThrow(`${join(dir, 'nope.d')}: no such config directory`);
    await expect(load([dir], [])).rejects.toThrow(`${dir}: is a directory, not a config file`);
    writeFileSync(join(dir, 'x.json'), '{}');
    await expect(load([], [join(dir, 'x.json')])).rejects.toThrow(`${join(dir, 'x.json')}: is not a directory`);
  });

  it('invalid JSON: the file and the parse error, on one line', async () => {
    writeFileSync(join(dir, 'bad.json'), '{\n  "name": "a",\n  "data_dir": \n}\n');
    writeFileSync(join(dir, 'cut.json'), '{"name": "a",');
    const load = (f: string): Promise<Error> => loadAgentConfig({ files: [join(dir, f)], dirs: [], env: {}, cli: {}, spec: SPEC }).then(() => new Error('loaded'), (e: unknown) => e as Error);
    const bad = await load('bad.json');
    expect(bad.message.startsWith(`${join(dir, 'bad.json')}: invalid JSON: Unexpected token`), bad.message).toBe(true);
    expect(bad.message).not.toContain('\n');
    expect((await load('cut.json')).message.startsWith(`${join(dir, 'cut.json')}: invalid JSON: `)).toBe(true);
  });
});

describe('agent config: every error names the file and the field', () => {
  const cases: [string, unknown, string][] = [
    ['wrong type (int)', { bootstrap_expect: 'three' }, '/etc/roster/agent.json: bootstrap_expect: expected an integer, got "three"'],
    ['wrong type (fraction)', { bootstrap_expect: 2.5 }, '/etc/roster/agent.json: bootstrap_expect: expected an integer, got 2.5'],
    ['wrong type (bool)', { server: 'yes' }, '/etc/roster/agent.json: server: expected true or false, got "yes"'],
    ['wrong type (string)', { data_dir: ['/a'] }, '/etc/roster/agent.json: data_dir: expected a string, got an array'],
    ['null', { name: null }, '/etc/roster/agent.json: name: expected a string, got null'],
    ['unknown key', { dta_dir: '/x' }, '/etc/roster/agent.json: dta_dir: unknown key (config keys are the agent flags in snake_case, see roster agent --help; or services, service, templates)'],
    ['a flag name instead of snake_case', { 'data-dir': '/x' }, '/etc/roster/agent.json: data-dir: unknown key; keys are snake_case: did you mean data_dir?'],
    ['help is not a setting', { help: true }, '/etc/roster/agent.json: help: unknown key'],
    ['config files cannot chain', { config_dir: '/x' }, '/etc/roster/agent.json: config_dir: config files cannot name other config files'],
    ['not an object', [1, 2], '/etc/roster/agent.json: expected a JSON object at the top level, got an array'],
    ['services not an array', { services: { name: 'web' } }, '/etc/roster/agent.json: services: expected an array of services, got an object'],
    ['unknown service key', { services: [{ name: 'web', prot: 80 }] }, '/etc/roster/agent.json: services[0].prot: unknown key in a service'],
    ['wrong service type', { service: { name: 'web', port: '80' } }, '/etc/roster/agent.json: service.port: expected a non-negative integer, got "80"'],
    ['a tag that is not a string', { services: [{ name: 'web', tags: ['a', 1] }] }, '/etc/roster/agent.json: services[0].tags[1]: expected a string, got 1'],
    ['a duration as a string', { services: [{ name: 'web', checks: [{ ttl_ms: 100 }, { tcp: 'a:1', interval_ms: '10s' }] }] }, '/etc/roster/agent.json: services[0].checks[1].interval_ms: expected a non-negative integer number of milliseconds, got "10s"'],
    ['unknown check key', { services: [{ name: 'web', checks: [{ ttl: 100 }] }] }, '/etc/roster/agent.json: services[0].checks[0].ttl: unknown key in a check'],
    ['a header that is not a string', { services: [{ name: 'web', checks: [{ http: 'http://a/', headers: { x: 1 } }] }] }, '/etc/roster/agent.json: services[0].checks[0].headers.x: expected a string, got 1'],
  ];
  it.each(cases)('%s', (_what, doc, message) => {
    const err = errorOf(() => parseConfigFile('/etc/roster/agent.json', JSON.stringify(doc), SPEC));
    expect(err.message.startsWith(message), err.message).toBe(true);
    expect(err.code).toBe('INVALID_CONFIG');
  });
});

describe('agent config: services', () => {
  const api = { api_addr: '127.0.0.1:8500' };

  it('a valid service with an HTTP check and a TTL check passes, as the request the agent API takes', () => {
    const cfg = build({ files: [file('/etc/roster/agent.json', api), file('/etc/roster/web.json', { services: [webService] })] });
    expect(cfg.services).toEqual([
      {
        service: { id: '', name: 'web', port: 8080, address: '', tags: ['v2'], meta: { team: 'shop' }, weights: null },
        checks: [
          { id: '', name: '', http: 'http://127.0.0.1:8080/health', tcp: '', grpc: '', ttlMs: 0, intervalMs: 5000, timeoutMs: 1000, successBeforePassing: 0, failuresBeforeCritical: 0, method: 'HEAD', headers: { 'x-probe': 'roster' }, args: [], deregisterCriticalServiceAfterMs: 0 },
          { id: '', name: '', http: '', tcp: '', grpc: '', ttlMs: 30_000, intervalMs: 0, timeoutMs: 0, successBeforePassing: 0, failuresBeforeCritical: 0, method: '', headers: {}, args: [], deregisterCriticalServiceAfterMs: 0 },
        ],
      },
    ]);
  });

  it('services from every file are merged, "service" and "services" alike', () => {
    const cfg = build({ files: [file('/a.json', { ...api, service: { name: 'db', port: 5432 } }), file('/b.json', { services: [webService, { name: 'web', id: 'web-2' }] })] });
    expect(cfg.services.map((s) => s.service?.id || s.service?.name)).toEqual(['db', 'web', 'web-2']);
  });

  it('an invalid check is refused, naming the file and the field', () => {
    const bad = { services: [{ name: 'web', checks: [{ ttl_ms: 1000 }, { http: 'http://127.0.0.1/health', interval_ms: 50 }] }] };
    expect(errorOf(() => build({ files: [file('/etc/roster/web.json', { ...api, ...bad })] })).message).toBe('/etc/roster/web.json: services[0].checks[1].interval_ms: must be at least 100, got 50');
    const two = { service: { name: 'web', checks: [{ http: 'http://a/', tcp: 'a:1' }] } };
    expect(errorOf(() => build({ files: [file('/w.json', { ...api, ...two })] })).message).toBe('/w.json: service.checks[0]: give exactly one of http, tcp, grpc, ttl_ms or args (got http and tcp)');
    const name = { services: [{ name: 'bad name' }] };
    expect(errorOf(() => build({ files: [file('/w.json', { ...api, ...name })] })).message).toMatch(/^\/w\.json: services\[0\]\.name: must be 1-128/);
    const method = { services: [{ name: 'web', checks: [{ http: 'http://a/', method: 'BREW' }] }] };
    expect(errorOf(() => build({ files: [file('/w.json', { ...api, ...method })] })).message).toMatch(/^\/w\.json: services\[0\]\.checks\[0\]\.method: must be GET, HEAD, POST, PUT or OPTIONS/);
  });

  it('a duplicate service id across files is an error naming both files; so is a check id defined twice', () => {
    const err = errorOf(() => build({ files: [file('/etc/roster/a.json', { ...api, services: [{ name: 'db' }, { name: 'web' }] }), file('/etc/roster/b.json', { service: { name: 'web', port: 81 } })] }));
    expect(err.message).toBe('/etc/roster/b.json: service: service id "web" is already defined in /etc/roster/a.json (services[1])');
    const checks = errorOf(() => build({ files: [file('/a.json', { ...api, service: { name: 'a', checks: [{ id: 'same', ttl_ms: 1 }] } }), file('/b.json', { service: { name: 'b', checks: [{ id: 'same', ttl_ms: 1 }] } })] }));
    expect(checks.message).toBe('/b.json: service.checks[0].id: check id "same" is already defined in /a.json (service.checks[0])');
  });

  it('services need the local agent API: without api_addr from any source, a clear error', () => {
    expect(errorOf(() => build({ files: [file('/etc/roster/web.json', { services: [webService] })] })).message).toBe(
      '/etc/roster/web.json: services[0]: services are registered with the local agent, which is off: set api_addr (or --api-addr, ROSTER_API_ADDR)',
    );
    expect(build({ files: [file('/etc/roster/web.json', { services: [webService] })], env: { ROSTER_API_ADDR: '127.0.0.1:8500' } }).services).toHaveLength(1);
  });

  it('a command check needs enable_script_checks, from any source', () => {
    const cmd = { services: [{ name: 'job', checks: [{ args: ['/bin/true'], interval_ms: 1000 }] }] };
    expect(errorOf(() => build({ files: [file('/c.json', { ...api, ...cmd })] })).message).toBe('/c.json: services[0].checks[0].args: command checks are off on this agent (start it with --enable-script-checks)');
    expect(build({ files: [file('/c.json', { ...api, ...cmd })], cli: { 'enable-script-checks': true } }).services).toHaveLength(1);
  });
});

describe('service-definition: the agent API rules, shared', () => {
  const req = (checks: object[], service: object = { name: 'web' }): Parameters<typeof validateRegistration>[0] => ({
    service: { id: '', name: '', port: 0, address: '', tags: [], meta: {}, weights: null, ...service },
    checks: checks.map((c) => ({ id: '', name: '', http: '', tcp: '', grpc: '', ttlMs: 0, intervalMs: 0, timeoutMs: 0, successBeforePassing: 0, failuresBeforeCritical: 0, method: '', headers: {}, args: [], deregisterCriticalServiceAfterMs: 0, ...c })),
  });

  it('resolves defaults: id from the name, check ids SERVICE:TYPE, interval 10 s, timeout min(5 s, interval), method GET', () => {
    const v = validateRegistration(req([{ http: 'http://a/h', method: 'post' }, { tcp: 'db:5432', intervalMs: 2000 }, { grpc: 'a:1/svc' }, { ttlMs: 500 }]), { enableScriptChecks: false });
    expect(v.service.id).toBe('web');
    expect(v.checks.map((c) => [c.id, c.target.type, c.schedule?.intervalMs, c.schedule?.timeoutMs])).toEqual([
      ['web:http', 'http', 10_000, 5000],
      ['web:tcp', 'tcp', 2000, 2000],
      ['web:grpc', 'grpc', 10_000, 5000],
      ['web:ttl', 'ttl', undefined, undefined],
    ]);
    expect(v.checks[0]!.target).toEqual({ type: 'http', url: 'http://a/h', method: 'POST', headers: {} });
    expect(v.checks[2]!.target).toEqual({ type: 'grpc', addr: 'a:1', service: 'svc' });
  });

  it('names the field of the first broken rule; command checks off is a failed precondition', () => {
    const fail = (r: Parameters<typeof validateRegistration>[0], enableScriptChecks = false): DefinitionError => errorOf(() => validateRegistration(r, { enableScriptChecks })) as DefinitionError;
    expect(fail(req([], { name: 'web', port: 70_000 })).message).toBe('service.port: must be 0-65535, got 70000');
    expect(fail(req([{ ttlMs: 1 }, { ttlMs: 2 }])).message).toBe('checks[1].id: "web:ttl" is also the id of checks[0]: check ids must be unique');
    expect(fail(req([{ tcp: 'no-port' }])).path).toEqual(['checks', 0, 'tcp']);
    expect(fail(req([{ tcp: 'a:1', method: 'GET' }])).message).toBe('checks[0].method: is only for http checks');
    expect(fail(req([{ http: 'http://a/', headers: { 'bad header': 'x' } }])).path).toEqual(['checks', 0, 'headers']);
    expect(fail(req([{ ttlMs: 1, id: '_node_maintenance' }])).path).toEqual(['checks', 0, 'id']);
    expect(fail(req([{ http: 'http://a/', intervalMs: 1000, timeoutMs: 2000 }])).message).toBe('checks[0].timeout_ms: cannot exceed interval_ms (1000), got 2000');
    expect(fail(req([{ args: ['x'] }])).code).toBe('FAILED_PRECONDITION');
    expect(fail(req([{ args: [''] }]), true).message).toBe('checks[0].args[0]: must name a command');
    expect(fail({ service: null, checks: [] }).message).toBe('service: is required');
  });

  it("refuses what the catalog would refuse, with the catalog's limits: tags, meta, address, checks", () => {
    const fail = (r: Parameters<typeof validateRegistration>[0]): string => errorOf(() => validateRegistration(r, { enableScriptChecks: false })).message;
    const tags = (n: number, bytes = 3): string[] => Array.from({ length: n }, (_, i) => String(i).padStart(bytes, '0'));
    expect(fail(req([], { name: 'web', tags: tags(10_000) }))).toBe('service.tags: at most 64 tags, got 10000');
    expect(fail(req([], { name: 'web', tags: ['x'.repeat(257)] }))).toBe('service.tags[0]: longer than 256 bytes');
    expect(fail(req([], { name: 'web', meta: Object.fromEntries(tags(65).map((k) => [k, 'v'])) }))).toBe('service.meta: at most 64 pairs, got 65');
    expect(fail(req([], { name: 'web', meta: { k: 'v'.repeat(513) } }))).toBe('service.meta.k: longer than 512 bytes');
    expect(fail(req([], { name: 'web', address: 'a'.repeat(257) }))).toBe('service.address: longer than 256 bytes');
    expect(fail(req(tags(64).map((id) => ({ id, ttlMs: 1000 }))))).toBe('checks: at most 63 checks, got 64');
    // At the limits, accepted.
    expect(validateRegistration(req(tags(63).map((id) => ({ id, ttlMs: 1000 })), { name: 'web', tags: tags(64), meta: Object.fromEntries(tags(64).map((k) => [k, 'v'.repeat(512)])) }), { enableScriptChecks: false }).checks).toHaveLength(63);
  });
});
