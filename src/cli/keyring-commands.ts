import { randomBytes } from 'node:crypto';
import type { KeyringResponse__Output } from '../gen/roster/roster/operator/v1/KeyringResponse.js';
import type { OperatorClient } from '../client/operator-client.js';
import type { Flags } from './args.js';
import { columns } from './columns.js';
import { UsageError } from './usage-error.js';

/** roster keygen: a new 32-byte gossip key (AES-256), base64, as consul keygen prints one. */
export function runKeygen(): number {
  console.log(randomBytes(32).toString('base64'));
  return 0;
}

const OPERATIONS = ['install', 'use', 'remove', 'list'] as const;

/** A failed operation: the one line the CLI prints (exit 1). */
export class KeyringIncomplete extends Error {}

/**
 * roster keyring --install KEY | --use KEY | --remove KEY | --list: the answering server carries
 * the operation to every alive member of its gossip pool and reports each answer. Anything but
 * every member confirming is a failure (exit 1, one line naming who failed and why), since a
 * member left behind is cut off by the next step of a rotation.
 */
export async function runKeyringCommand(client: OperatorClient, flags: Flags, json: boolean): Promise<number> {
  const given = OPERATIONS.filter((o) => flags[o] !== undefined);
  if (given.length !== 1) throw new UsageError('roster keyring takes exactly one of --install KEY, --use KEY, --remove KEY, --list');
  const operation = given[0]!;
  const key = operation === 'list' ? '' : String(flags[operation]);
  if (operation !== 'list' && (flags[operation] === true || key.trim() === '')) throw new UsageError(`--${operation} needs a key (base64, as roster keygen prints)`);
  const out = await client.keyring(operation, key.trim());
  if (json) console.log(JSON.stringify(out, null, 2));
  else console.log(keyringText(operation, out));
  const failed = out.answers.filter((a) => !a.ok);
  if (failed.length === 0 && out.answered === out.members) return 0;
  throw new KeyringIncomplete(`keyring ${operation}: ${out.answered} of ${out.members} members answered; errors: ${failed.map((a) => `${a.name}: ${a.error}`).join('; ')}`);
}

function keyringText(operation: (typeof OPERATIONS)[number], out: KeyringResponse__Output): string {
  const summary = `${out.answered} of ${out.members} members answered`;
  const table = columns(
    ['KEY', 'INSTALLED', 'PRIMARY'],
    out.keys.map((k) => [k.fingerprint, `${k.installed}/${out.members}`, `${k.primary}/${out.members}`]),
  );
  if (operation === 'list') return `${table}\n${summary}`;
  return `${operation} ${out.fingerprint}: ${summary}\n${table}`;
}
