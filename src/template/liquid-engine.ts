import { Liquid } from 'liquidjs';
import { RosterError } from '../util/errors.js';
import type { InstanceQuery, TemplateReads } from './template-data.js';

/**
 * `service`'s argument, as consul-template's: "name" or "tag.name", then optional "passing"
 * (the default) or "any", and node meta as "key=value".
 */
export function instanceQuery(spec: unknown, args: readonly unknown[]): InstanceQuery {
  if (typeof spec !== 'string' || spec === '') throw new RosterError('INVALID_ARGUMENT', 'service needs a service name: {{ "web" | service }} or "tag.web"');
  const dot = spec.indexOf('.');
  const [tag, service] = dot < 0 ? ['', spec] : [spec.slice(0, dot), spec.slice(dot + 1)];
  let passingOnly = true;
  const nodeMeta: Record<string, string> = {};
  for (const a of args) {
    if (a === 'any') passingOnly = false;
    else if (a === 'passing') passingOnly = true;
    else if (typeof a === 'string' && a.includes('=')) nodeMeta[a.slice(0, a.indexOf('='))] = a.slice(a.indexOf('=') + 1);
    else throw new RosterError('INVALID_ARGUMENT', `service ${JSON.stringify(spec)}: unknown option ${JSON.stringify(a)} (use "passing", "any" or node meta as "key=value")`);
  }
  return { service, tag, passingOnly, nodeMeta };
}

/**
 * The template language: Liquid (LiquidJS), with filters that read the registry. Each filter
 * opens (once) the watch that keeps its data current:
 *
 *   {% assign web = "web" | service %}            healthy instances of web (node, address, port, tags, meta, status...)
 *   {% assign all = "v2.web" | service: "any" %}  every instance tagged v2, whatever its health
 *   {% assign names = "" | services %}            every service (name, tags, instances, passing)
 *   {% assign hosts = "" | nodes %}               every node (name, address, datacenter, meta)
 *   {{ "cfg/port" | key }}                        a key's value ('' when missing)
 *   {{ "cfg/port" | key_or_default: "80" }}
 *   {% assign pairs = "cfg/" | tree %}            every key under a prefix (key relative, path, value)
 *
 * Liquid runs no code from the template: no file, process or network access beyond these. A
 * value written by {{ }} may not break lines unless piped through raw (oneLine, below).
 */
const refuse = (file: string): Error => new RosterError('INVALID_ARGUMENT', `templates read no files (${file}): include, render and layout are not available`);

/**
 * Every `{{ value }}` is one line unless piped through `raw`: registry data (a KV value, a tag,
 * meta) is written by whoever may write it, and a line break in it would add lines of its own to
 * the config a template writes (a `server` line in an HAProxy backend, say). Such a render fails,
 * so the last good file stays and the failure is logged; a value meant to span lines (a
 * certificate, a block of config) says so with `{{ "tls/cert" | key | raw }}`.
 */
function oneLine(value: unknown): string {
  const text = textOf(value);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09) || c === 0x7f || c === 0x2028 || c === 0x2029) {
      throw new RosterError('INVALID_ARGUMENT', `a value written by {{ }} holds a line break or control character (${JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}...` : text)}): pipe it through raw if it is meant to span lines ({{ ... | raw }})`);
    }
  }
  return text;
}

/** A value as {{ }} writes it: strings as they are, lists joined (as Liquid does), objects as JSON. */
function textOf(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (Array.isArray(value)) return value.map(textOf).join('');
  return JSON.stringify(value) ?? '';
}

/** LiquidJS's file system, refusing every file. */
const NO_FILES = {
  exists: () => Promise.resolve(false),
  existsSync: () => false,
  readFile: (file: string) => Promise.reject(refuse(file)),
  readFileSync: (file: string): string => {
    throw refuse(file);
  },
  resolve: (_root: string, file: string) => file,
  sep: '/',
};

export function templateEngine(data: TemplateReads): Liquid {
  // No file system: include, render and layout find nothing (a template reads the registry only).
  const engine = new Liquid({ strictFilters: true, ownPropertyOnly: true, cache: false, fs: NO_FILES, root: [], partials: [], layouts: [], outputEscape: oneLine });
  engine.registerFilter('service', (spec: unknown, ...args: unknown[]) => data.instances(instanceQuery(spec, args)));
  engine.registerFilter('services', () => data.services());
  engine.registerFilter('nodes', () => data.nodes());
  engine.registerFilter('key', async (path: unknown) => (await data.key(String(path))) ?? '');
  engine.registerFilter('key_or_default', async (path: unknown, fallback: unknown) => (await data.key(String(path))) ?? (typeof fallback === 'string' || typeof fallback === 'number' ? String(fallback) : ''));
  engine.registerFilter('tree', (prefix: unknown) => data.tree(String(prefix)));
  return engine;
}
