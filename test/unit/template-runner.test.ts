import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Endpoints } from '../../src/client/endpoints.js';
import type { Instance } from '../../src/client/types.js';
import { parseWait } from '../../src/cli/template-command.js';
import { instanceQuery, templateEngine } from '../../src/template/liquid-engine.js';
import type { Source } from '../../src/template/source.js';
import type { InstanceQuery, TemplateReads, UsedSource } from '../../src/template/template-data.js';
import { TemplateRunner, type TemplateSpec } from '../../src/template/template-runner.js';
import { silentLogger } from '../../src/util/logger.js';
import { eventually } from '../integration/cluster-harness.js';

/** A source whose value and freshness the test sets. */
class FakeSource<T> implements Source<readonly T[]> {
  isFresh = true;
  constructor(public items: readonly T[]) {}
  value(): readonly T[] {
    return this.items;
  }
  fresh(): boolean {
    return this.isFresh;
  }
  why(): string {
    return this.isFresh ? '' : 'stale';
  }
  close(): void {}
}

const instance = (id: string, port: number): Instance => ({ key: `n/${id}`, id, name: 'web', node: 'n', address: '10.0.0.1', port, tags: [], meta: {}, weights: { passing: 1, warning: 1 }, status: 'passing', checks: [], modifyRevision: 1 });

/** The registry as the test wants it: a service's instances and keys, each a source it can change. */
class FakeReads implements TemplateReads {
  readonly web = new FakeSource<Instance>([instance('a', 1)]);
  readonly keys = new Map<string, string>([['cfg/port', '80']]);
  readonly keySource = new FakeSource<string>([]);
  private used: UsedSource[] = [];
  changed: () => void = () => undefined;
  beginRender(): void {
    this.used = [];
  }
  usedSources(): readonly UsedSource[] {
    return this.used;
  }
  closeUnused(): void {}
  close(): void {}
  instances(q: InstanceQuery): Promise<readonly Instance[]> {
    this.used.push({ what: `service ${q.service}`, source: this.web, instances: this.web.items.length });
    return Promise.resolve(this.web.items);
  }
  services(): Promise<never[]> {
    return Promise.resolve([]);
  }
  nodes(): Promise<never[]> {
    return Promise.resolve([]);
  }
  key(path: string): Promise<string | undefined> {
    this.used.push({ what: `key ${path}`, source: this.keySource });
    return Promise.resolve(this.keys.get(path));
  }
  tree(): Promise<never[]> {
    return Promise.resolve([]);
  }
  /** Changes something and tells the runner, as a watch does. */
  set(f: () => void): void {
    f();
    this.changed();
  }
}

const TEMPLATE = 'port {{ "cfg/port" | key }}\n{% assign web = "web" | service %}{% for s in web %}server {{ s.id }} {{ s.address }}:{{ s.port }}\n{% endfor %}';

describe('roster template: the runner', () => {
  const dirs: string[] = [];
  const runners: TemplateRunner[] = [];
  afterEach(() => {
    for (const r of runners.splice(0)) r.stop();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  /** A runner over a fake registry, its template in a new directory; `spec` may name files in it. */
  const setup = (spec: (dir: string) => Partial<TemplateSpec> = () => ({}), dry?: (text: string) => void): { runner: TemplateRunner; reads: FakeReads; out: string; dir: string } => {
    const dir = mkdtempSync(join(tmpdir(), 'roster-template-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'in.liquid'), TEMPLATE);
    const reads = new FakeReads();
    const out = join(dir, 'out.cfg');
    const runner = new TemplateRunner({ source: join(dir, 'in.liquid'), destination: out, ...spec(dir) }, {
      endpoints: {} as Endpoints,
      logger: silentLogger,
      ...(dry === undefined ? {} : { dry: true, print: dry }),
      reads: (changed) => {
        reads.changed = changed;
        return reads;
      },
    });
    runners.push(runner);
    return { runner, reads, out, dir };
  };
  const content = (f: string): string | undefined => {
    try {
      return readFileSync(f, 'utf8');
    } catch {
      return undefined;
    }
  };

  it('writes the render, again on each change, and not when it renders the same; the file keeps its mode; the command runs after each write', async () => {
    const { runner, reads, out, dir } = setup((d) => ({ command: `echo run >> ${join(d, 'runs')}` }));
    writeFileSync(out, 'old');
    chmodSync(out, 0o640);
    const log = join(dir, 'runs');
    await runner.start();
    await eventually('the first render', () => Promise.resolve(content(out) === 'port 80\nserver a 10.0.0.1:1\n' ? true : undefined), 5000, 10);
    expect(statSync(out).mode & 0o777).toBe(0o640);
    await eventually('its command', () => Promise.resolve(content(log) === 'run\n' ? true : undefined), 5000, 10);
    reads.set(() => (reads.web.items = [instance('a', 1), instance('b', 2)]));
    await eventually('the change rendered', () => Promise.resolve(content(out)?.includes('server b 10.0.0.1:2') === true ? true : undefined), 5000, 10);
    await eventually('its command', () => Promise.resolve(content(log) === 'run\nrun\n' ? true : undefined), 5000, 10);
    const writes = runner.counts.writes;
    reads.set(() => reads.keys.set('unused', 'x'));
    await eventually('a render', () => Promise.resolve(runner.counts.renders >= 3 ? true : undefined), 5000, 10);
    expect(runner.counts.writes).toBe(writes);
    expect(content(log)).toBe('run\nrun\n');
  });

  it('waits for quiescence: a burst of changes is rendered once after MIN of quiet, and a steady stream at the latest MAX after its first change', async () => {
    const { runner, reads, out } = setup(() => ({ waitMinMs: 500, waitMaxMs: 1200 }));
    await runner.start();
    await eventually('the first render', () => Promise.resolve(content(out) !== undefined ? true : undefined), 5000, 10);
    const renders = runner.counts.renders;
    // Five changes 30 ms apart (far below MIN): nothing renders until MIN of quiet after the last.
    for (let i = 2; i <= 6; i++) {
      reads.set(() => (reads.web.items = [instance('a', i)]));
      await new Promise((r) => setTimeout(r, 30));
    }
    const lastChange = performance.now();
    expect(runner.counts.renders).toBe(renders);
    await eventually('the burst rendered', () => Promise.resolve(content(out)?.includes(':6') === true ? true : undefined), 5000, 10);
    expect(performance.now() - lastChange).toBeGreaterThanOrEqual(400);
    expect(runner.counts.renders).toBe(renders + 1);
    // A change every 100 ms never leaves MIN of quiet: MAX after the first change it renders anyway.
    const first = performance.now();
    let renderedAt: number | undefined;
    for (let i = 10; i < 40 && renderedAt === undefined; i++) {
      reads.set(() => (reads.web.items = [instance('a', i)]));
      await new Promise((r) => setTimeout(r, 100));
      if (runner.counts.renders > renders + 1) renderedAt = performance.now();
    }
    expect(renderedAt, 'a render within the stream').toBeDefined();
    expect(renderedAt! - first).toBeGreaterThanOrEqual(1100);
    expect(renderedAt! - first).toBeLessThan(2500);
  });

  it('--dry prints each render instead of writing it, and runs no command', async () => {
    const printed: string[] = [];
    const { runner, reads, out, dir } = setup((d) => ({ command: `echo run >> ${join(d, 'runs')}` }), (t) => printed.push(t));
    await runner.start();
    await eventually('the first render printed', () => Promise.resolve(printed.length === 1 ? true : undefined), 5000, 10);
    expect(printed[0]).toBe('port 80\nserver a 10.0.0.1:1\n');
    reads.set(() => (reads.web.items = [instance('b', 2)]));
    await eventually('the change printed', () => Promise.resolve(printed.length === 2 ? true : undefined), 5000, 10);
    expect(printed[1]).toBe('port 80\nserver b 10.0.0.1:2\n');
    expect(content(out)).toBeUndefined();
    expect(content(join(dir, 'runs'))).toBeUndefined();
  });

  it('a value with a line break cannot add lines to the file unless piped through raw; the last good render stays', async () => {
    const reads = new FakeReads();
    reads.keys.set('cfg/evil', '80\nserver rogue 6.6.6.6:80');
    reads.keys.set('cfg/tab', 'a\tb');
    const engine = templateEngine(reads);
    await expect(engine.parseAndRender('port {{ "cfg/evil" | key }}')).rejects.toThrow(/holds a line break or control character .*pipe it through raw/);
    expect(await engine.parseAndRender('port {{ "cfg/evil" | key | raw }}')).toBe('port 80\nserver rogue 6.6.6.6:80');
    expect(await engine.parseAndRender('{{ "cfg/tab" | key }} {{ "cfg/port" | key }}')).toBe('a\tb 80');
    // In a running template: the file keeps its last good render.
    const { runner, reads: live, out } = setup();
    await runner.start();
    await eventually('the first render', () => Promise.resolve(content(out) === 'port 80\nserver a 10.0.0.1:1\n' ? true : undefined), 5000, 10);
    live.set(() => live.keys.set('cfg/port', '80\nserver rogue 6.6.6.6:80'));
    await eventually('a failed render', () => Promise.resolve(runner.counts.renders >= 1 && content(out) === 'port 80\nserver a 10.0.0.1:1\n' ? true : undefined), 5000, 10);
    await new Promise((r) => setTimeout(r, 200));
    expect(content(out)).toBe('port 80\nserver a 10.0.0.1:1\n');
  });

  it('writes atomically: a reader sees the old file or the new one whole, a new inode renamed over it, no temporary file left', async () => {
    const big = (n: number) => Array.from({ length: 20_000 }, (_, i) => instance(`i${i}`, n));
    const { runner, reads, out, dir } = setup();
    reads.web.items = big(1);
    await runner.start();
    await eventually('the first render', () => Promise.resolve(content(out)?.includes('server i19999 10.0.0.1:1\n') === true ? true : undefined), 10_000, 10);
    const inode = statSync(out).ino;
    const whole = (t: string, port: number) => t.startsWith('port 80\n') && t.endsWith(`server i19999 10.0.0.1:${port}\n`);
    let seen = 0;
    reads.set(() => (reads.web.items = big(2)));
    // Read the file as fast as possible while the new render is written: never a part of one.
    for (;;) {
      const t = content(out) ?? '';
      expect(whole(t, 1) || whole(t, 2), `a partial file (${t.length} bytes)`).toBe(true);
      seen++;
      if (whole(t, 2)) break;
      await new Promise((r) => setImmediate(r));
    }
    expect(seen).toBeGreaterThan(0);
    expect(statSync(out).ino).not.toBe(inode);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('keeps the last render while a source it read is not fresh, and writes once it is again', async () => {
    const { runner, reads, out } = setup();
    await runner.start();
    await eventually('the first render', () => Promise.resolve(content(out) !== undefined ? true : undefined), 5000, 10);
    reads.set(() => {
      reads.web.isFresh = false;
      reads.web.items = [instance('c', 3)];
    });
    await eventually('a held render', () => Promise.resolve(runner.counts.held > 0 ? true : undefined), 5000, 10);
    expect(content(out)).toBe('port 80\nserver a 10.0.0.1:1\n');
    reads.set(() => (reads.web.isFresh = true));
    await eventually('written once fresh', () => Promise.resolve(content(out) === 'port 80\nserver c 10.0.0.1:3\n' ? true : undefined), 5000, 10);
  });

  it('does not empty a service that had instances, unless allowEmpty', async () => {
    for (const allowEmpty of [false, true]) {
      const { runner, reads, out } = setup(() => ({ allowEmpty }));
      await runner.start();
      await eventually('the first render', () => Promise.resolve(content(out) !== undefined ? true : undefined), 5000, 10);
      reads.set(() => (reads.web.items = []));
      await eventually('the render after', () => Promise.resolve(runner.counts.held + runner.counts.writes >= 2 ? true : undefined), 5000, 10);
      expect(content(out)).toBe(allowEmpty ? 'port 80\n' : 'port 80\nserver a 10.0.0.1:1\n');
    }
  });

  it('a service that never had instances is written as it is, even over an existing file', async () => {
    const { runner, reads, out } = setup();
    reads.web.items = [];
    writeFileSync(out, 'from before a restart');
    await runner.start();
    await eventually('the render', () => Promise.resolve(content(out) === 'port 80\n' ? true : undefined), 5000, 10);
    reads.set(() => (reads.web.items = [instance('a', 1)]));
    await eventually('its first instance', () => Promise.resolve(content(out) === 'port 80\nserver a 10.0.0.1:1\n' ? true : undefined), 5000, 10);
  });

  it('a failing command is run again until it succeeds; with once it is not, and the outcome says why', async () => {
    const { runner, out, dir } = setup((d) => ({ command: `test -f ${join(d, 'ok')}` }));
    const flag = join(dir, 'ok');
    await runner.start();
    await eventually('a failure', () => Promise.resolve(runner.counts.commandFailures > 0 ? true : undefined), 5000, 10);
    writeFileSync(flag, '');
    await eventually('the command again, succeeding', () => Promise.resolve(runner.counts.commands === 1 ? true : undefined), 10_000, 20);
    expect(content(out)).toBeDefined();

    const once = setup();
    const r2 = new TemplateRunner({ source: join(once.dir, 'in.liquid'), destination: once.out, command: 'exit 3' }, { endpoints: {} as Endpoints, logger: silentLogger, once: true, reads: () => once.reads });
    runners.push(r2);
    await r2.start();
    expect(await r2.firstWriteDone()).toEqual({ ok: false, why: 'exit code 3' });
  });

  it('a template that does not render is retried, never thrown', async () => {
    const { runner, dir, out } = setup();
    writeFileSync(join(dir, 'in.liquid'), '{{ "x" | no_such_filter }}');
    await runner.start();
    await new Promise((r) => setTimeout(r, 50));
    expect(content(out)).toBeUndefined();
    expect(runner.counts.renders).toBe(0);
  });
});

describe('roster template: arguments', () => {
  it('--wait takes MIN:MAX or MIN (MAX 4x) as Go durations, and refuses the rest', () => {
    expect(parseWait('2s:10s')).toEqual({ minMs: 2000, maxMs: 10_000 });
    expect(parseWait('500ms')).toEqual({ minMs: 500, maxMs: 2000 });
    expect(() => parseWait('10s:2s')).toThrow('--wait: MAX (2s) is below MIN (10s)');
    expect(() => parseWait('soon')).toThrow('--wait must be MIN:MAX as Go durations (2s:10s, 500ms:2s), got "soon"');
    expect(() => parseWait('-1s:2s')).toThrow('--wait cannot be negative');
  });

  it('a template reads no files: include and render are refused', async () => {
    const engine = templateEngine(new FakeReads());
    await expect(engine.parseAndRender('{% include "/etc/passwd" %}')).rejects.toThrow(/Failed to lookup|templates read no files/);
    await expect(engine.parseAndRender('{% render "secrets.txt" %}')).rejects.toThrow(/Failed to lookup|templates read no files/);
  });

  it('service takes "name" or "tag.name", passing or any, and node meta as key=value', () => {
    expect(instanceQuery('web', [])).toEqual({ service: 'web', tag: '', passingOnly: true, nodeMeta: {} });
    expect(instanceQuery('v2.web', ['any', 'zone=a'])).toEqual({ service: 'web', tag: 'v2', passingOnly: false, nodeMeta: { zone: 'a' } });
    expect(() => instanceQuery('web', ['sometimes'])).toThrow('service "web": unknown option "sometimes"');
    expect(() => instanceQuery('', [])).toThrow('service needs a service name');
  });
});
