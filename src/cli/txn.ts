import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Endpoints } from '../client/endpoints.js';
import type { RequestOp } from '../gen/etcd/etcdserverpb/RequestOp.js';
import type { TxnRequest } from '../gen/etcd/etcdserverpb/TxnRequest.js';
import { etcdProto } from '../proto/etcd-proto.js';
import { prefixRangeEnd } from './data-commands.js';
import { UsageError } from './usage-error.js';
import { parseLeaseId } from './lease-id.js';

/**
 * `roster kv txn`: an etcd transaction written in etcdctl's interactive format (see TXN_FORMAT
 * in commands.ts): compares, a blank line, success operations, a blank line, failure operations.
 */

type CompareTarget = 'VALUE' | 'VERSION' | 'CREATE' | 'MOD' | 'LEASE';
type CompareResult = 'EQUAL' | 'NOT_EQUAL' | 'LESS' | 'GREATER';

export interface TxnCompare {
  readonly target: CompareTarget;
  readonly result: CompareResult;
  readonly key: string;
  /** The operand: bytes for VALUE, a decimal integer for the others. */
  readonly operand: string;
}

export interface TxnOp {
  readonly op: 'put' | 'get' | 'del';
  readonly key: string;
  readonly value?: string;
  readonly lease?: string;
  readonly prefix?: boolean;
}

export interface ParsedTxn {
  readonly compare: readonly TxnCompare[];
  readonly success: readonly TxnOp[];
  readonly failure: readonly TxnOp[];
}

const TARGETS: Readonly<Record<string, CompareTarget>> = { value: 'VALUE', version: 'VERSION', create: 'CREATE', mod: 'MOD', lease: 'LEASE' };
const RESULTS: Readonly<Record<string, CompareResult>> = { '=': 'EQUAL', '==': 'EQUAL', '!=': 'NOT_EQUAL', '<': 'LESS', '>': 'GREATER' };

/** A "..." string with JSON escapes, or a bare word. */
const QUOTED = String.raw`"(?:[^"\\]|\\.)*"`;
const COMPARE = new RegExp(String.raw`^(\w+)\s*\(\s*(${QUOTED}|[^\s()"]+)\s*\)\s*(==|!=|=|<|>)\s*(${QUOTED}|\S+)$`);

function unquote(s: string, line: number): string {
  if (!s.startsWith('"')) return s;
  try {
    return JSON.parse(s) as string;
  } catch {
    throw new UsageError(`line ${line}: bad quoted string ${s}`);
  }
}

/** A word of an operation line; a quoted word is never a flag. */
interface Word {
  readonly text: string;
  readonly flag: boolean;
}

/** Splits an operation line into words; "..." is one word (JSON escapes). */
function tokenize(text: string, line: number): Word[] {
  const out: Word[] = [];
  const re = new RegExp(String.raw`\s*(${QUOTED}|"|[^\s"]+)`, 'y');
  let m: RegExpExecArray | null;
  let end = 0; // a failed sticky match resets lastIndex: keep where the last word ended
  while ((m = re.exec(text)) !== null) {
    const w = m[1]!;
    if (w === '"') throw new UsageError(`line ${line}: unterminated quote`);
    out.push({ text: unquote(w, line), flag: w.startsWith('--') });
    end = re.lastIndex;
  }
  const left = text.slice(end).trim();
  if (left !== '') throw new UsageError(`line ${line}: cannot read ${JSON.stringify(left)}`);
  return out;
}

function parseCompare(text: string, line: number): TxnCompare {
  const m = COMPARE.exec(text);
  if (m === null) throw new UsageError(`line ${line}: not a compare: ${text} (expected e.g. value("k") = "v" or version("k") > 0; a blank line ends the compares)`);
  const target = TARGETS[m[1]!.toLowerCase()];
  if (target === undefined) throw new UsageError(`line ${line}: unknown compare target ${m[1]!} (value, version, create, mod or lease)`);
  const key = unquote(m[2]!, line);
  const operand = unquote(m[4]!, line);
  if (target !== 'VALUE' && !/^-?\d+$/.test(operand)) throw new UsageError(`line ${line}: ${m[1]!.toLowerCase()}(...) compares with a whole number, got ${m[4]!}`);
  return { target, result: RESULTS[m[3]!]!, key, operand };
}

function parseOp(text: string, line: number): TxnOp {
  const [first, ...rest] = tokenize(text, line);
  const op = first?.flag === false ? first.text : '';
  const bad = (usage: string): never => {
    throw new UsageError(`line ${line}: ${usage}, got: ${text}`);
  };
  switch (op) {
    case 'put': {
      const i = rest.findIndex((w) => w.flag);
      const args = i < 0 ? rest : rest.slice(0, i);
      const flags = i < 0 ? [] : rest.slice(i);
      const lease = flags[1]?.text;
      const leaseOk = flags.length === 0 || (flags.length === 2 && flags[0]!.text === '--lease' && !flags[1]!.flag && lease !== undefined);
      if (args.length !== 2 || !leaseOk) bad('expected put KEY VALUE [--lease ID]');
      return { op: 'put', key: args[0]!.text, value: args[1]!.text, ...(flags.length === 0 ? {} : { lease: parseLeaseId(lease!, `line ${line}: --lease`) }) };
    }
    case 'get':
    case 'del':
    case 'delete': {
      const words = rest.filter((w) => !w.flag);
      const flags = rest.filter((w) => w.flag);
      if (words.length !== 1 || flags.some((f) => f.text !== '--prefix')) bad(`expected ${op} KEY [--prefix]`);
      return { op: op === 'delete' ? 'del' : op, key: words[0]!.text, prefix: flags.length > 0 };
    }
    default:
      throw new UsageError(`line ${line}: not an operation: ${text} (expected put, get or del${/^\w+\s*\(/.test(text) ? '; compares go before the first blank line' : ''})`);
  }
}

/** Parses the whole text; every mistake is a UsageError naming its line. */
export function parseTxn(text: string): ParsedTxn {
  const sections: [TxnCompare[], TxnOp[], TxnOp[]] = [[], [], []];
  let section = 0;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '').trim();
    const n = i + 1;
    if (line.startsWith('#')) continue;
    if (line === '') {
      section++;
      continue;
    }
    if (section > 2) throw new UsageError(`line ${n}: text after the failure operations (a transaction is three sections: compares, success ops, failure ops, separated by one blank line)`);
    if (section === 0) sections[0].push(parseCompare(line, n));
    else sections[section as 1 | 2].push(parseOp(line, n));
  }
  const [compare, success, failure] = sections;
  if (compare.length + success.length + failure.length === 0) throw new UsageError('the transaction is empty (see roster kv txn --help)');
  return { compare, success, failure };
}

function opRequest(o: TxnOp): RequestOp {
  const key = Buffer.from(o.key);
  const rangeEnd = o.prefix === true ? prefixRangeEnd(key) : Buffer.alloc(0);
  switch (o.op) {
    case 'put':
      return { requestPut: { key, value: Buffer.from(o.value ?? ''), lease: o.lease ?? '0' } };
    case 'get':
      return { requestRange: { key, rangeEnd } };
    case 'del':
      return { requestDeleteRange: { key, rangeEnd } };
  }
}

const FIELD: Readonly<Record<Exclude<CompareTarget, 'VALUE'>, string>> = { VERSION: 'version', CREATE: 'createRevision', MOD: 'modRevision', LEASE: 'lease' };

/** The etcd TxnRequest (as the proto loader takes it). */
export function txnRequest(t: ParsedTxn): TxnRequest {
  return {
    compare: t.compare.map((c) => ({ result: c.result, target: c.target, key: Buffer.from(c.key), ...(c.target === 'VALUE' ? { value: Buffer.from(c.operand) } : { [FIELD[c.target]]: c.operand }) })),
    success: t.success.map(opRequest),
    failure: t.failure.map(opRequest),
  };
}

/** Reads the transaction: all of a file or piped stdin; from a terminal, up to the third blank line. */
async function readTxnText(file: string | undefined): Promise<string> {
  if (file !== undefined) {
    try {
      return await readFile(file, 'utf8');
    } catch (err) {
      throw new Error(`cannot read ${file}: ${(err as Error).message}`, { cause: err });
    }
  }
  const tty = process.stdin.isTTY === true;
  const prompts = ['compares (e.g. value("k") = "v"), then a blank line:', 'success operations (put, get, del), then a blank line:', 'failure operations (put, get, del), then a blank line:'];
  if (tty) process.stderr.write(`${prompts[0]}\n`);
  const rl = createInterface({ input: process.stdin, terminal: false });
  const lines: string[] = [];
  let blanks = 0;
  for await (const line of rl) {
    lines.push(line);
    if (line.trim() !== '') continue;
    blanks++;
    if (tty && blanks < 3) process.stderr.write(`${prompts[blanks]}\n`);
    if (tty && blanks === 3) break;
  }
  rl.close();
  return lines.join('\n');
}

export interface TxnCommand {
  readonly file: string | undefined;
  readonly endpoints: Endpoints;
  readonly json: boolean;
  readonly timeoutMs: number;
}

export async function runTxn(c: TxnCommand): Promise<number> {
  const t = parseTxn(await readTxnText(c.file));
  const r = await c.endpoints.unary(etcdProto().etcdserverpb.KV, 'Txn', txnRequest(t), c.timeoutMs);
  const ran = r.succeeded ? t.success : t.failure;
  const results = ran.map((o, i) => {
    const res = r.responses[i] ?? {};
    const kvs = (res.responseRange?.kvs ?? []).map((kv) => ({ key: kv.key.toString(), value: kv.value.toString(), createRevision: Number(kv.createRevision), modRevision: Number(kv.modRevision), version: Number(kv.version), lease: kv.lease }));
    return { op: o.op, key: o.key, ...(o.prefix === true ? { prefix: true } : {}), ...(o.op === 'get' ? { kvs } : {}), ...(o.op === 'del' ? { deleted: Number(res.responseDeleteRange?.deleted ?? 0) } : {}) };
  });
  if (c.json) {
    console.log(JSON.stringify({ succeeded: r.succeeded, revision: Number(r.header!.revision), results }, null, 2));
    return 0;
  }
  const lines = [r.succeeded ? 'SUCCESS' : 'FAILURE'];
  for (const x of results) {
    const what = `${x.op} ${x.key}${x.prefix === true ? ' --prefix' : ''}`;
    if (x.op === 'put') lines.push(`${what}: OK`);
    else if (x.op === 'del') lines.push(`${what}: deleted ${x.deleted}`);
    else if (x.prefix !== true) lines.push(`${what}: ${x.kvs?.[0]?.value ?? '(not found)'}`);
    else lines.push(`${what}: ${x.kvs?.length ?? 0} key(s)`, ...(x.kvs ?? []).map((kv) => `  ${kv.key} = ${kv.value}`));
  }
  console.log(lines.join('\n'));
  return 0;
}
