import { readFileSync } from 'node:fs';
import { isRosterError } from '../util/errors.js';
import { createCa, loadCa } from '../tls/ca.js';
import { caFiles, nextLeafFiles, writeNewPair, type PairFiles } from '../tls/cert-files.js';
import { createLeaf, leafAltNames, type LeafKind, type LeafOptions } from '../tls/leaf-certificate.js';
import { checkNamePart } from '../tls/subject-alt-names.js';
import { wholeNumber, type Flags } from './args.js';
import { UsageError } from './usage-error.js';

/** `roster tls ca create` and `roster tls cert create`: files in --dir, made here, no server. */
export function runTlsCommand(name: string, flags: Flags): number {
  const dir = text(flags.dir) ?? '.';
  const domain = text(flags.domain) ?? 'roster';
  if (name === 'tls ca create') {
    asUsageError(() => checkNamePart(domain, 'domain'));
    const files = caFiles(dir);
    const commonName = text(flags['common-name']);
    if (commonName?.trim() === '') throw new UsageError('--common-name must not be empty');
    const pair = createCa({ domain, days: validDays(flags, 1825), ...(commonName === undefined ? {} : { commonName }) });
    writeNewPair(files, pair);
    saved(files);
    return 0;
  }
  if (name === 'tls cert create') {
    const options: LeafOptions = {
      kind: leafKind(flags),
      datacenter: text(flags.dc) ?? 'dc1',
      domain,
      days: validDays(flags, 365),
      ...(text(flags.node) === undefined ? {} : { node: text(flags.node) }),
      additionalDnsNames: list(flags['additional-dnsname']),
      additionalIpAddresses: list(flags['additional-ipaddress']),
    };
    // The names are the command line's mistakes: checked before any file is read or key made.
    asUsageError(() => leafAltNames(options));
    const defaults = caFiles(dir);
    const caPaths = { cert: text(flags.ca) ?? defaults.cert, key: text(flags.key) ?? defaults.key };
    const ca = loadCa({ certPem: readCaFile(caPaths.cert, 'ca'), keyPem: readCaFile(caPaths.key, 'key') }, caPaths);
    const files = nextLeafFiles(dir, options.datacenter, options.kind);
    writeNewPair(files, createLeaf(ca, options));
    saved(files);
    return 0;
  }
  throw new UsageError(`unknown command: ${name} (see roster tls --help)`);
}

/** Runs a check of the command line's values; what it refuses is a usage error (exit 2). */
function asUsageError(check: () => unknown): void {
  try {
    check();
  } catch (err) {
    if (isRosterError(err, 'INVALID_ARGUMENT')) throw new UsageError(err.message);
    throw err;
  }
}

/** Up to a hundred years: beyond that the dates no longer fit what a certificate can say. */
const MAX_DAYS = 36_500;

function validDays(flags: Flags, byDefault: number): number {
  const days = wholeNumber(flags.days, 'days', 1) ?? byDefault;
  if (days > MAX_DAYS) throw new UsageError(`--days must be at most ${MAX_DAYS}`);
  return days;
}

function leafKind(flags: Flags): LeafKind {
  const kinds = (['server', 'client', 'cli'] as const).filter((k) => flags[k] === true);
  if (kinds.length !== 1) throw new UsageError(`give exactly one of --server, --client or --cli${kinds.length > 1 ? ` (got ${kinds.map((k) => `--${k}`).join(' and ')})` : ''}`);
  return kinds[0]!;
}

function text(v: string | boolean | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** A list flag's items: comma-separated (repeats were joined by the parser), blanks dropped. */
function list(v: string | boolean | undefined): string[] {
  return (text(v) ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
}

function readCaFile(file: string, flag: 'ca' | 'key'): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const hint = code === 'ENOENT' ? ` (make a CA with roster tls ca create, or name it with --${flag})` : '';
    throw new UsageError(`cannot read ${file}: ${code ?? (err as Error).message}${hint}`);
  }
}

function saved(files: PairFiles): void {
  console.log(`saved ${files.cert}`);
  console.log(`saved ${files.key}`);
}
