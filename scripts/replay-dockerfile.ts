/**
 * Replays the Dockerfile without a Docker engine: each stage in its own scratch directory (the
 * container's / mapped there), its WORKDIR, ENV, COPY (from the build context or an earlier
 * stage) and RUN steps in order, on this host's Node (the image's is node:20 too), then checks
 * the result as the image would run it:
 *   1. ENTRYPOINT + CMD (the image's default command) exits 0 and prints the agent's help;
 *   2. the install holds production dependencies only (no tsx) and `npx roster --help` works;
 *   3. ENTRYPOINT starts a single server (--bootstrap) that gets ready and stops on SIGTERM;
 *   4. the example apps' JavaScript is there, and the SDK they import loads;
 *   5. docker-compose.yml's one-shot `certs` service (scripts/docker/compose-certs.sh) makes
 *      every certificate file the compose file names, a second run makes none, and a server
 *      with the compose file's TLS flags gets ready on them.
 * Usage: tsx scripts/replay-dockerfile.ts [--dockerfile FILE] [--keep]   (exit 1 on any failure)
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, dirname, isAbsolute, join, posix, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDockerfile } from './docker/dockerfile.js';

interface Stage {
  readonly name: string;
  readonly root: string;
  workdir: string;
  env: Record<string, string>;
  entrypoint: readonly string[];
  cmd: readonly string[];
}

const CONTEXT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const dockerfile = resolve(CONTEXT, argv.includes('--dockerfile') ? argv[argv.indexOf('--dockerfile') + 1]! : 'Dockerfile');
const keep = argv.includes('--keep');
const scratch = mkdtempSync(join(tmpdir(), 'roster-image-'));

function fail(message: string): never {
  console.error(`replay-dockerfile: ${message}${keep ? ` (scratch kept in ${scratch})` : ''}`);
  if (!keep) rmSync(scratch, { recursive: true, force: true });
  process.exit(1);
}

/** The host path of a container path in a stage (relative paths are relative to its WORKDIR). */
const hostPath = (s: Stage, p: string): string => join(s.root, posix.isAbsolute(p) ? p : posix.join(s.workdir, p));

/** .dockerignore's entries: paths (relative to the context) never copied from it. */
const ignored = existsSync(join(CONTEXT, '.dockerignore'))
  ? readFileSync(join(CONTEXT, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim().replace(/^\/|\/$/g, '')).filter((l) => l !== '' && !l.startsWith('#'))
  : [];
const notIgnored = (src: string): boolean => {
  const rel = relative(CONTEXT, src);
  return !ignored.some((p) => rel === p || rel.startsWith(`${p}/`));
};

function copy(stage: Stage, stages: readonly Stage[], from: string | undefined, sources: readonly string[], dest: string, line: number): void {
  const source = from === undefined ? undefined : stages.find((s) => s.name === from || String(stages.indexOf(s)) === from);
  if (from !== undefined && source === undefined) fail(`Dockerfile:${line}: no stage ${from} before this COPY`);
  const target = hostPath(stage, dest);
  const intoDir = dest.endsWith('/') || sources.length > 1;
  for (const src of sources) {
    const path = source === undefined ? resolve(CONTEXT, src) : join(source.root, posix.isAbsolute(src) ? src : posix.join('/', src));
    if (source === undefined && (relative(CONTEXT, path).startsWith('..') || isAbsolute(relative(CONTEXT, path)))) fail(`Dockerfile:${line}: ${src} is outside the build context`);
    if (!existsSync(path)) fail(`Dockerfile:${line}: COPY ${src}: no such file in the ${source === undefined ? 'build context' : `stage ${from}`}`);
    if (source === undefined && !notIgnored(path)) fail(`Dockerfile:${line}: COPY ${src}: excluded by .dockerignore`);
    const filter = source === undefined ? notIgnored : () => true;
    if (statSync(path).isDirectory()) cpSync(path, target, { recursive: true, filter });
    else {
      const to = intoDir ? join(target, basename(path)) : target;
      mkdirSync(dirname(to), { recursive: true });
      cpSync(path, to);
    }
  }
}

function replay(): Stage {
  const steps = parseDockerfile(readFileSync(dockerfile, 'utf8'));
  const stages: Stage[] = [];
  let stage: Stage | undefined;
  for (const step of steps) {
    if (step.kind === 'from') {
      stage = { name: step.as ?? String(stages.length), root: join(scratch, `stage-${stages.length}`), workdir: '/', env: {}, entrypoint: [], cmd: [] };
      stages.push(stage);
      mkdirSync(stage.root, { recursive: true });
      console.log(`[replay] Dockerfile:${step.line} FROM ${step.image}${step.as === undefined ? '' : ` AS ${step.as}`} (this host's Node ${process.version} stands in for it)`);
      continue;
    }
    if (stage === undefined) fail(`Dockerfile:${step.line}: a step before FROM`);
    const s = stage;
    const began = Date.now();
    switch (step.kind) {
      case 'workdir':
        s.workdir = posix.isAbsolute(step.path) ? step.path : posix.join(s.workdir, step.path);
        mkdirSync(hostPath(s, '.'), { recursive: true });
        break;
      case 'env':
        Object.assign(s.env, step.vars);
        break;
      case 'copy':
        copy(s, stages, step.from, step.sources, step.dest, step.line);
        break;
      case 'run': {
        const [cmd, ...args] = step.command;
        const r = spawnSync(cmd!, args, { cwd: hostPath(s, '.'), env: { ...process.env, ...s.env }, stdio: 'inherit' });
        if (r.status !== 0) fail(`Dockerfile:${step.line}: RUN ${step.command.join(' ')} exited with ${r.status ?? r.signal}`);
        break;
      }
      case 'entrypoint':
        s.entrypoint = step.argv;
        s.cmd = [];
        break;
      case 'cmd':
        s.cmd = step.argv;
        break;
      case 'noop':
        break;
    }
    if (step.kind === 'copy' || step.kind === 'run') {
      const what = step.kind === 'copy' ? `COPY ${step.from === undefined ? '' : `--from=${step.from} `}${step.sources.join(' ')} ${step.dest}` : `RUN ${step.command.join(' ')}`;
      console.log(`[replay] Dockerfile:${step.line} ${what} (${((Date.now() - began) / 1000).toFixed(1)} s)`);
    }
  }
  if (stage === undefined) fail('no FROM in the Dockerfile');
  return stage;
}

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => res(port));
    });
  });
}

/** Runs the image's entrypoint with `args` as a server until it is ready, then stops it with SIGTERM. */
function serverStartsAndStops(image: Stage, args: readonly string[]): Promise<string | undefined> {
  const [cmd, ...rest] = image.entrypoint;
  const proc = spawn(cmd!, [...rest, ...args], { cwd: hostPath(image, '.'), env: { ...process.env, ...image.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let ready = false;
  return new Promise((res) => {
    const timer = setTimeout(() => proc.kill('SIGKILL'), 30_000);
    const onData = (b: Buffer): void => {
      out += b.toString();
      if (!ready && out.includes(' ready:')) {
        ready = true;
        proc.kill('SIGTERM');
      }
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', onData);
    proc.once('exit', (code, signal) => {
      clearTimeout(timer);
      res(ready && code === 0 ? undefined : `ready=${ready} exit=${code ?? signal}: ${out.trim().split('\n').slice(-5).join(' | ')}`);
    });
  });
}

async function main(): Promise<void> {
  const image = replay();
  const at = hostPath(image, '.');
  const env = { ...process.env, ...image.env };
  if (image.entrypoint.length === 0) fail('the image has no ENTRYPOINT');
  // 1. The default command.
  const [cmd, ...rest] = image.entrypoint;
  const def = spawnSync(cmd!, [...rest, ...image.cmd], { cwd: at, env, encoding: 'utf8', timeout: 60_000 });
  if (def.status !== 0 || !def.stdout.includes('usage: roster agent')) fail(`the image's default command (${[...image.entrypoint, ...image.cmd].join(' ')}) exited ${def.status}: ${def.stderr.trim()}`);
  console.log(`[check] ENTRYPOINT + CMD: exit 0, "${def.stdout.split('\n')[0]}"`);
  // 2. A production install: no dev dependencies, and the roster command runs the built code.
  if (existsSync(join(at, 'node_modules', 'tsx'))) fail('the image has tsx installed: it should hold production dependencies only');
  const npx = spawnSync('npx', ['--no-install', 'roster', '--help'], { cwd: at, env, encoding: 'utf8', timeout: 60_000 });
  if (npx.status !== 0 || !npx.stdout.startsWith('usage: roster')) fail(`npx roster --help exited ${npx.status}: ${npx.stderr.trim()}`);
  console.log('[check] no tsx in node_modules; npx roster --help: exit 0');
  // 3. A server from the image's entrypoint.
  const data = join(scratch, 'server-data');
  const problem = await serverStartsAndStops(image, ['agent', '--server', '--bootstrap', '--name', 'image', '--data-dir', data, '--peer-addr', `127.0.0.1:${await freePort()}`, '--client-addr', `127.0.0.1:${await freePort()}`]);
  if (problem !== undefined) fail(`a server from the image's entrypoint did not start and stop cleanly (${problem})`);
  console.log('[check] ENTRYPOINT agent --server --bootstrap: ready, then exit 0 on SIGTERM');
  // 4. The example apps, as docker-compose.yml runs them.
  for (const f of ['examples/greeter-service.js', 'examples/greeter-client.js']) if (!existsSync(join(at, f))) fail(`the image has no ${f}`);
  const sdk = spawnSync(process.execPath, ['--input-type=module', '-e', "const m = await import('./src/client/index.js'); if (typeof m.RosterClient !== 'function') process.exit(3);"], { cwd: at, env, encoding: 'utf8', timeout: 60_000 });
  if (sdk.status !== 0) fail(`the examples' SDK (src/client/index.js) does not load: ${sdk.stderr.trim()}`);
  console.log('[check] examples/greeter-*.js present; the SDK they import loads');
  // 5. The web UI, built into the image (agents serve it from dist/ui).
  for (const f of ['dist/ui/index.html', 'dist/ui/app.js', 'dist/ui/app.css']) if (!existsSync(join(at, f))) fail(`the image has no ${f}: the web UI would answer 503`);
  console.log('[check] the web UI is built into the image (dist/ui)');
  // 5. The secure compose topology's certificates, as its certs service makes them in the image.
  const tls = join(scratch, 'tls');
  const certs = (): string => {
    const r = spawnSync('sh', ['scripts/docker/compose-certs.sh', tls], { cwd: at, env, encoding: 'utf8', timeout: 120_000 });
    if (r.status !== 0) fail(`scripts/docker/compose-certs.sh exited ${r.status}: ${r.stderr.trim()}`);
    return r.stdout;
  };
  certs();
  const named = [...new Set(readFileSync(join(CONTEXT, 'docker-compose.yml'), 'utf8').match(/\/tls\/[\w./-]+/g) ?? [])];
  const missing = named.filter((p) => !existsSync(join(tls, p.slice('/tls/'.length))));
  if (named.length === 0 || missing.length > 0) fail(`docker-compose.yml names ${missing.join(', ') || 'no /tls files'} that the certs service does not make`);
  if (certs().includes('made ')) fail('a second run of the certs service made certificates again (members would stop trusting each other)');
  const inTls = (p: string): string => join(tls, p);
  const secure = await serverStartsAndStops(image, ['agent', '--server', '--bootstrap', '--name', 'n1', '--data-dir', join(scratch, 'tls-server-data'), '--peer-addr', `127.0.0.1:${await freePort()}`, '--client-addr', `127.0.0.1:${await freePort()}`,
    '--ca-file', inTls('roster-agent-ca.pem'), '--cert-file', inTls('n1/dc1-server-roster-0.pem'), '--key-file', inTls('n1/dc1-server-roster-0-key.pem'), '--verify-incoming', '--verify-outgoing', '--verify-server-hostname', '--config-dir', inTls('config')]);
  if (secure !== undefined) fail(`a server with docker-compose.yml's TLS flags did not start and stop cleanly (${secure})`);
  console.log(`[check] compose-certs.sh: the ${named.length} /tls paths docker-compose.yml names, made once; a server with its TLS flags: ready, then exit 0`);
  if (!keep) rmSync(scratch, { recursive: true, force: true });
  console.log(`replay-dockerfile: ${relative(CONTEXT, dockerfile)} replayed and checked${keep ? ` (in ${scratch})` : ''}`);
}

await main();
