/**
 * Builds the web UI (ui/) into dist/ui: one minified ES module bundled by esbuild (Preact and
 * the views), its stylesheet and the page. `npm run build` runs it; the agent serves the folder
 * under /ui/ (src/agent/http/ui-files.ts). Prints the bundle's size.
 */
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export async function buildUi(outDir = fileURLToPath(new URL('../dist/ui', import.meta.url))): Promise<{ dir: string; jsBytes: number; jsGzipBytes: number }> {
  const ui = fileURLToPath(new URL('../ui', import.meta.url));
  mkdirSync(outDir, { recursive: true });
  await build({
    entryPoints: [join(ui, 'src/main.tsx')],
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2022',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    outfile: join(outDir, 'app.js'),
    logLevel: 'warning',
  });
  copyFileSync(join(ui, 'src/app.css'), join(outDir, 'app.css'));
  copyFileSync(join(ui, 'index.html'), join(outDir, 'index.html'));
  const js = readFileSync(join(outDir, 'app.js'));
  return { dir: outDir, jsBytes: statSync(join(outDir, 'app.js')).size, jsGzipBytes: gzipSync(js).length };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const r = await buildUi();
  console.log(`web UI built in ${r.dir}: app.js ${(r.jsBytes / 1024).toFixed(1)} KiB (${(r.jsGzipBytes / 1024).toFixed(1)} KiB gzipped)`);
}
