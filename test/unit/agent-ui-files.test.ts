import Fastify from 'fastify';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addUiFileRoutes, loadUiFiles } from '../../src/agent/http/ui-files.js';

async function appWith(files: Record<string, string> | undefined) {
  let dir: string | undefined;
  if (files !== undefined) {
    dir = mkdtempSync(join(tmpdir(), 'roster-ui-'));
    for (const [name, body] of Object.entries(files)) writeFileSync(join(dir, name), body);
  }
  const app = Fastify();
  addUiFileRoutes(app, loadUiFiles(dir));
  await app.ready();
  return app;
}

describe('the web UI files under /ui/', () => {
  it('serves the built files with their types, the page for any other path, and 304 for a known ETag', async () => {
    const app = await appWith({ 'index.html': '<html>page</html>', 'app.js': 'console.log(1)', 'app.css': 'body{}', 'notes.txt': 'not served' });
    const page = await app.inject('/ui/');
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.body).toBe('<html>page</html>');
    const js = await app.inject('/ui/app.js');
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.body).toBe('console.log(1)');
    expect((await app.inject({ url: '/ui/app.js', headers: { 'if-none-match': String(js.headers.etag) } })).statusCode).toBe(304);
    // Files of other kinds are not served; neither is anything outside the folder.
    expect((await app.inject('/ui/notes.txt')).body).toBe('<html>page</html>');
    expect((await app.inject('/ui/../package.json')).body).not.toContain('"name"');
    expect((await app.inject('/ui/%2e%2e%2fpackage.json')).body).toBe('<html>page</html>');
    expect((await app.inject('/ui')).headers.location).toBe('/ui/');
    expect((await app.inject('/')).headers.location).toBe('/ui/');
  });

  it('says how to build the UI when it is not built', async () => {
    const app = await appWith(undefined);
    const r = await app.inject('/ui/');
    expect(r.statusCode).toBe(503);
    expect(r.body).toContain('npm run build');
  });
});
