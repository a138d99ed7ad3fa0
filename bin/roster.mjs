#!/usr/bin/env node
// The `roster` command. Runs the TypeScript sources through tsx (no build step): `agent` and
// `snapshot restore` in the agent, everything else in the operator CLI.
import { register } from 'tsx/esm/api';

register();
const args = process.argv.slice(2);
const agentSide = args[0] === 'agent' || (args[0] === 'snapshot' && args[1] === 'restore');
await import(agentSide ? '../src/agent/main.ts' : '../src/cli/main.ts');
