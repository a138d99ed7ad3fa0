import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.map': 'application/json',
};

/** One built file of the UI, held in memory (the whole UI is a few tens of KiB). */
interface UiFile {
  readonly body: Buffer;
  readonly type: string;
  readonly etag: string;
}

/**
 * Where the built UI is: dist/ui beside the compiled code (dist/agent/http → dist/ui), or, when
 * the agent runs from the TypeScript sources (src/agent/http), the checkout's dist/ui
 * (`npm run build` makes it).
 */
export function builtUiDir(): string | undefined {
  const candidates = ['../../ui', '../../../dist/ui'].map((rel) => fileURLToPath(new URL(rel, import.meta.url)));
  return candidates.find((dir) => existsSync(join(dir, 'index.html')));
}

/** The UI's files by name, read once at start; nothing outside the folder can be named. */
export function loadUiFiles(dir: string | undefined): ReadonlyMap<string, UiFile> {
  const files = new Map<string, UiFile>();
  if (dir === undefined) return files;
  for (const name of readdirSync(dir)) {
    const type = TYPES[extname(name)];
    if (type === undefined) continue;
    const body = readFileSync(join(dir, name));
    files.set(name, { body, type, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 16)}"` });
  }
  return files;
}

/**
 * The web UI under /ui/: its built files (no CDN; the page talks to this port's HTTP API with
 * the token the user gives it). The views are routed in the page (/ui/#/services), so any other
 * path under /ui/ is the page too. Without a build, /ui/ says how to make one.
 */
export function addUiFileRoutes(app: FastifyInstance, files: ReadonlyMap<string, UiFile>): void {
  app.get('/', (_req, reply) => reply.redirect('/ui/'));
  app.get('/ui', (_req, reply) => reply.redirect('/ui/'));
  app.get('/ui/*', (req, reply) => {
    if (files.size === 0) return reply.code(503).type('text/plain; charset=utf-8').send('The web UI is not built: run `npm run build` in the Roster checkout, then restart the agent');
    const name = (req.params as { '*': string })['*'];
    const file = files.get(name) ?? files.get('index.html')!;
    // The page itself is checked every time (it names the current bundle); the bundle by its ETag.
    reply.header('Cache-Control', 'no-cache');
    reply.header('ETag', file.etag);
    reply.header('X-Content-Type-Options', 'nosniff');
    if (file.type.startsWith('text/html')) reply.header('Content-Security-Policy', "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'");
    if (req.headers['if-none-match'] === file.etag) return reply.code(304).send();
    return reply.type(file.type).send(file.body);
  });
}
