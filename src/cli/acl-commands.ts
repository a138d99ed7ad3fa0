import { readFileSync } from 'node:fs';
import type { AclClient, AclPolicy, AclToken, PolicyRef } from '../client/acl-client.js';
import type { Flags } from './args.js';
import { columns } from './columns.js';
import { UsageError } from './usage-error.js';
import { parseGoDuration } from '../util/go-duration.js';

/**
 * `roster acl ...`: Consul's bootstrap, tokens and policies, through any server's ACL service.
 * Updates read the record first and change only what the command line names, as Consul's CLI.
 */

const str = (flags: Flags, name: string): string | undefined => (typeof flags[name] === 'string' ? flags[name] : undefined);

/** --policy-name a,b and --policy-id x as links (empty names dropped). */
function policyLinks(flags: Flags): PolicyRef[] | undefined {
  const names = str(flags, 'policy-name');
  const ids = str(flags, 'policy-id');
  if (names === undefined && ids === undefined) return undefined;
  const split = (v: string | undefined): string[] => (v ?? '').split(',').map((x) => x.trim()).filter((x) => x !== '');
  return [...split(names).map((name) => ({ name })), ...split(ids).map((id) => ({ id }))];
}

/** --id or --name of a policy, exactly one. */
function policyRef(flags: Flags): PolicyRef {
  const id = str(flags, 'id');
  const name = str(flags, 'name');
  if ((id === undefined) === (name === undefined)) throw new UsageError('name the policy with --id or --name (one of them)');
  return id === undefined ? { name: name! } : { id };
}

/** --rules: the text itself, @FILE, or - for stdin. */
function rulesOf(v: string): string {
  if (v === '-') return readFileSync(0, 'utf8');
  if (!v.startsWith('@')) return v;
  try {
    return readFileSync(v.slice(1), 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read the rules file ${v.slice(1)}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
}

const when = (ms: number | string | bigint): string => (Number(ms) === 0 ? '' : new Date(Number(ms)).toISOString());

function tokenText(t: AclToken): string {
  const lines = [`AccessorID:       ${t.accessorId}`, ...(t.secretId === '' ? [] : [`SecretID:         ${t.secretId}`]), `Description:      ${t.description}`, `Local:            ${t.local}`, `Create Time:      ${when(t.createTimeMs)}`];
  if (Number(t.expirationTimeMs) !== 0) lines.push(`Expiration Time:  ${when(t.expirationTimeMs)}`);
  lines.push('Policies:', ...t.policies.map((p) => `   ${p.id} - ${p.name}`));
  return lines.join('\n');
}

function policyText(p: AclPolicy): string {
  return [`ID:           ${p.id}`, `Name:         ${p.name}`, `Description:  ${p.description}`, 'Rules:', p.rules].join('\n');
}

const tokenJson = (t: AclToken): Record<string, unknown> => ({
  AccessorID: t.accessorId,
  ...(t.secretId === '' ? {} : { SecretID: t.secretId }),
  Description: t.description,
  Policies: t.policies.map((p) => ({ ID: p.id, Name: p.name })),
  Local: t.local,
  CreateTime: when(t.createTimeMs),
  ...(Number(t.expirationTimeMs) === 0 ? {} : { ExpirationTime: when(t.expirationTimeMs) }),
  CreateIndex: Number(t.createIndex),
});

const policyJson = (p: AclPolicy): Record<string, unknown> => ({ ID: p.id, Name: p.name, Description: p.description, Rules: p.rules, CreateIndex: Number(p.createIndex) });

export interface AclCommand {
  /** "acl bootstrap", "acl token create", ... */
  readonly name: string;
  readonly flags: Flags;
  readonly json: boolean;
  readonly client: AclClient;
}

/** Runs one `roster acl` command; prints Consul's key: value layout, or its JSON field names with --format json. */
export async function runAclCommand(c: AclCommand): Promise<number> {
  const { client, flags } = c;
  const printToken = (t: AclToken): void => console.log(c.json ? JSON.stringify(tokenJson(t), null, 2) : tokenText(t));
  const printPolicy = (p: AclPolicy): void => console.log(c.json ? JSON.stringify(policyJson(p), null, 2) : policyText(p));
  switch (c.name) {
    case 'acl bootstrap':
      printToken(await client.bootstrap());
      return 0;
    case 'acl token create': {
      const ttl = str(flags, 'expires-ttl');
      const ttlMs = ttl === undefined ? 0 : parseGoDuration(ttl);
      if (ttlMs === undefined || ttlMs < 0 || (ttl !== undefined && ttlMs < 1000)) throw new UsageError(`--expires-ttl must be a Go duration of at least 1s, such as 1h or 30m, got ${JSON.stringify(ttl)}`);
      const accessorId = str(flags, 'accessor');
      const secretId = str(flags, 'secret');
      const policies = policyLinks(flags);
      printToken(await client.tokenCreate({ description: str(flags, 'description') ?? '', ...(policies === undefined ? {} : { policies }), expirationTtlMs: Math.round(ttlMs), ...(accessorId === undefined ? {} : { accessorId }), ...(secretId === undefined ? {} : { secretId }) }));
      return 0;
    }
    case 'acl token list': {
      const tokens = await client.tokenList();
      if (c.json) console.log(JSON.stringify(tokens.map(tokenJson), null, 2));
      else console.log(columns(['ACCESSOR ID', 'DESCRIPTION', 'POLICIES', 'EXPIRES'], tokens.map((t) => [t.accessorId, t.description, t.policies.map((p) => p.name || p.id).join(',') || '-', when(t.expirationTimeMs) || 'never'])));
      return 0;
    }
    case 'acl token read': {
      const id = str(flags, 'id');
      if ((id === undefined) === (flags.self !== true)) throw new UsageError('name the token with --id ACCESSOR, or give --self for the token this command sends');
      printToken(id === undefined ? await client.tokenReadSelf() : await client.tokenRead(id));
      return 0;
    }
    case 'acl token update': {
      const id = str(flags, 'id')!;
      const current = await client.tokenRead(id);
      const given = policyLinks(flags);
      const kept = current.policies.map((p) => ({ id: p.id }));
      if (flags['merge-policies'] === true && given === undefined) throw new UsageError('--merge-policies goes with --policy-name or --policy-id');
      const policies = given === undefined ? kept : flags['merge-policies'] === true ? [...kept, ...given] : given;
      printToken(await client.tokenUpdate(id, { description: str(flags, 'description') ?? current.description, policies }));
      return 0;
    }
    case 'acl token delete': {
      const id = str(flags, 'id')!;
      if (!(await client.tokenDelete(id))) throw new Error(`no token with accessor id ${id}`);
      console.log(c.json ? JSON.stringify({ AccessorID: id, deleted: true }) : `token ${id} deleted`);
      return 0;
    }
    case 'acl policy create':
      printPolicy(await client.policyCreate({ name: str(flags, 'name')!, rules: rulesOf(str(flags, 'rules')!), description: str(flags, 'description') ?? '' }));
      return 0;
    case 'acl policy list': {
      const policies = await client.policyList();
      if (c.json) console.log(JSON.stringify(policies.map(policyJson), null, 2));
      else console.log(columns(['ID', 'NAME', 'DESCRIPTION'], policies.map((p) => [p.id, p.name, p.description])));
      return 0;
    }
    case 'acl policy read':
      printPolicy(await client.policyRead(policyRef(flags)));
      return 0;
    case 'acl policy update': {
      const current = await client.policyRead(policyRef(flags));
      const rules = str(flags, 'rules');
      printPolicy(await client.policyUpdate(current.id, { name: str(flags, 'new-name') ?? current.name, description: str(flags, 'description') ?? current.description, rules: rules === undefined ? current.rules : rulesOf(rules) }));
      return 0;
    }
    case 'acl policy delete': {
      const ref = policyRef(flags);
      if (!(await client.policyDelete(ref))) throw new Error(`no policy ${ref.id === undefined ? `named ${ref.name}` : `with id ${ref.id}`}`);
      console.log(c.json ? JSON.stringify({ ...ref, deleted: true }) : `policy ${ref.name ?? ref.id} deleted`);
      return 0;
    }
    default:
      throw new UsageError(`unknown command: ${c.name} (see roster acl --help)`);
  }
}
