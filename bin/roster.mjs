#!/usr/bin/env node
// The `roster` command. Runs the TypeScript sources through tsx (no build step): `agent` and
// `snapshot restore|inspect` in the agent (they read files with the storage code), everything
// else in the operator CLI, which also prints the help of those two snapshot commands.
import { register } from 'tsx/esm/api';

register();
const args = process.argv.slice(2);
const wantsHelp = args.some((a) => a === '--help' || a === '-h');
const agentSide = args[0] === 'agent' || (args[0] === 'snapshot' && (args[1] === 'restore' || args[1] === 'inspect') && !wantsHelp);
await import(agentSide ? '../src/agent/main.ts' : '../src/cli/main.ts');
