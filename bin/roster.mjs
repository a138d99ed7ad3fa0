#!/usr/bin/env node
// The `roster` command. In a checkout with its dev dependencies it runs the TypeScript sources
// through tsx (no build step); in a production install (`npm ci --omit=dev`, the Docker image),
// where tsx is absent, it runs the built code in dist/ (`npm run build`). `agent` and `snapshot
// restore|inspect` run in the agent (they read files with the storage code), everything else in
// the operator CLI, which also prints the help of those two snapshot commands.
import { existsSync } from 'node:fs';

const args = process.argv.slice(2);
const wantsHelp = args.some((a) => a === '--help' || a === '-h');
const agentSide = args[0] === 'agent' || (args[0] === 'snapshot' && (args[1] === 'restore' || args[1] === 'inspect') && !wantsHelp);
const entry = agentSide ? 'cmd/main' : 'cli/main';
const here = (path) => new URL(path, import.meta.url);

async function sourcesThroughTsx() {
  if (!existsSync(here(`../src/${entry}.ts`))) return false;
  let tsx;
  try {
    tsx = await import('tsx/esm/api');
  } catch {
    return false; // not installed (a production install): the built code instead
  }
  tsx.register();
  await import(here(`../src/${entry}.ts`).href);
  return true;
}

if (!(await sourcesThroughTsx())) {
  if (!existsSync(here(`../dist/${entry}.js`))) {
    process.stderr.write('roster: no built code in dist/ and no tsx to run the sources: run `npm run build` (or install the dev dependencies)\n');
    process.exit(2);
  }
  await import(here(`../dist/${entry}.js`).href);
}
