import { readFile } from 'node:fs/promises';
import type { Liquid } from 'liquidjs';
import type { Endpoints } from '../client/endpoints.js';
import { Backoff } from '../util/backoff.js';
import type { Logger } from '../util/logger.js';
import { writeFileAtomically } from './atomic-file.js';
import { runCommand, type CommandOutcome } from './command-runner.js';
import { templateEngine } from './liquid-engine.js';
import { TemplateData, type TemplateReads } from './template-data.js';

/** One template: where it comes from and goes, what runs after a change, how it waits. */
export interface TemplateSpec {
  /** The template file (Liquid; see liquid-engine.ts for what it can read). */
  readonly source: string;
  /** The file it renders to (written atomically; its mode and owner kept). */
  readonly destination: string;
  /** A shell command run after each change of the file (a reload), or none. */
  readonly command?: string;
  /** The command's time limit (default 30 s); a failed or timed-out command is retried. */
  readonly commandTimeoutMs?: number;
  /** Quiescence, as consul-template's wait = min:max: render once the data has been quiet for min, or max after the first change at the latest. */
  readonly waitMinMs?: number;
  readonly waitMaxMs?: number;
  /**
   * Write a render in which a service that had instances has none (default: keep the last render,
   * the Nacos lesson: an empty list is more often a fault than the truth). Even then only from
   * data the leader confirmed, as every render.
   */
  readonly allowEmpty?: boolean;
  /** The file's mode when it is created (default 0644; an existing file keeps its own). */
  readonly mode?: number;
}

export interface TemplateRunnerOptions {
  readonly endpoints: Endpoints;
  readonly logger: Logger;
  /** Print renders instead of writing them, and run no command. */
  readonly dry?: boolean;
  /** Where a dry run prints (default stdout). */
  readonly print?: (text: string) => void;
  /** One render only (--once): its command is not retried; firstWriteDone says how it went. */
  readonly once?: boolean;
  /** The reads' implementation (default: watches through `endpoints`); tests give a fake. */
  readonly reads?: (changed: () => void) => TemplateReads;
}

const DEFAULT_COMMAND_TIMEOUT_MS = 30_000;

/**
 * Keeps one file rendered from the registry. Each render reads through watches that stay open,
 * so a change anywhere it read renders it again (after the quiescence wait); a render is written
 * only when every source it read is fresh (answered, streaming, confirmed by the leader), and
 * only when it differs from the file; then the command runs. Nothing here ends the process: a
 * template that fails to render, a write or a command that fails is logged and tried again.
 */
export class TemplateRunner {
  private readonly data: TemplateReads;
  private readonly engine: Liquid;
  private text: string | undefined;
  private written: string | undefined;
  /** Instances each service list had in the render last written (the rule on emptied lists). */
  private writtenCounts = new Map<string, number>();
  private rendering = false;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  private firstChangeAt: number | undefined;
  private held = '';
  private stopped = false;
  /** Back-off of renders that fail (a template error, a write refused): one pending render at a time. */
  private readonly retry = new Backoff({ initialMs: 500, maxMs: 30_000, jitter: Math.random });
  private failing = false;
  /** The command: one run at a time; a write during a run asks for one more after it. */
  private commandRunning = false;
  private commandAgain = false;
  private commandTimer: NodeJS.Timeout | undefined;
  private readonly commandBackoff = new Backoff({ initialMs: 1000, maxMs: 30_000, jitter: Math.random });
  private firstWrite: { resolve: (outcome: CommandOutcome) => void; promise: Promise<CommandOutcome> };
  /** Renders written (or printed, dry) and commands that succeeded: for tests and metrics. */
  readonly counts = { renders: 0, writes: 0, commands: 0, commandFailures: 0, held: 0 };

  constructor(private readonly spec: TemplateSpec, private readonly o: TemplateRunnerOptions) {
    this.data = o.reads?.(() => this.changed()) ?? new TemplateData(o.endpoints, () => this.changed());
    this.engine = templateEngine(this.data);
    let resolve: (outcome: CommandOutcome) => void = () => undefined;
    const promise = new Promise<CommandOutcome>((r) => (resolve = r));
    this.firstWrite = { resolve, promise };
  }

  /** Reads the template and the file as it is, and renders for the first time. */
  async start(): Promise<void> {
    this.text = await readFile(this.spec.source, 'utf8');
    if (this.o.dry !== true) this.written = await readFile(this.spec.destination, 'utf8').catch(() => undefined);
    this.schedule(0);
  }

  /** Settles once a render has been written (or found already in the file) and its command ran: `--once`. */
  firstWriteDone(): Promise<CommandOutcome> {
    return this.firstWrite.promise;
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    if (this.commandTimer !== undefined) clearTimeout(this.commandTimer);
    this.data.close();
  }

  /** Some source changed: render after the quiescence wait (while renders fail, at the back-off's pace). */
  private changed(): void {
    if (this.stopped || this.failing) return;
    const min = this.spec.waitMinMs ?? 0;
    const max = Math.max(this.spec.waitMaxMs ?? min * 4, min);
    const now = Date.now();
    this.firstChangeAt ??= now;
    this.schedule(Math.max(0, Math.min(min, this.firstChangeAt + max - now)));
  }

  /** The one pending render. */
  private schedule(delayMs: number): void {
    if (this.stopped) return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.firstChangeAt = undefined;
      void this.render();
    }, delayMs);
  }

  private async render(): Promise<void> {
    if (this.stopped || this.text === undefined) return;
    if (this.rendering) {
      this.again = true;
      return;
    }
    this.rendering = true;
    try {
      this.data.beginRender();
      const out = String(await this.engine.parseAndRender(this.text, {}));
      if (this.stopped) return;
      this.data.closeUnused();
      await this.use(out);
      this.failing = false;
      this.retry.reset();
    } catch (err) {
      if (this.stopped) return;
      const wait = this.retry.next();
      this.failing = true;
      this.o.logger.warn('template: render failed; trying again', { template: this.spec.source, error: err instanceof Error ? err.message : String(err), retryInMs: wait });
      this.again = false;
      this.schedule(wait);
    } finally {
      this.rendering = false;
      if (this.again) {
        this.again = false;
        this.schedule(0);
      }
    }
  }

  /** Writes a render, unless its data is doubtful, it would empty a service, or nothing changed. */
  private async use(out: string): Promise<void> {
    const used = this.data.usedSources();
    const doubtful = used.filter((u) => !u.source.fresh());
    const emptied = this.spec.allowEmpty === true ? [] : used.filter((u) => u.instances === 0 && (this.writtenCounts.get(u.what) ?? 0) > 0);
    const hold = doubtful.length > 0 ? `not fresh: ${doubtful.map((u) => `${u.what} (${u.source.why()})`).join(', ')}` : emptied.length > 0 ? `no instances: ${emptied.map((u) => u.what).join(', ')} (allow_empty writes that)` : '';
    if (hold !== '') {
      if (hold !== this.held) this.o.logger.warn('template: keeping the last render', { template: this.spec.source, why: hold });
      this.held = hold;
      this.counts.held++;
      return;
    }
    if (this.held !== '') this.o.logger.info('template: data fresh again', { template: this.spec.source });
    this.held = '';
    this.counts.renders++;
    const counts = new Map(used.filter((u) => u.instances !== undefined).map((u) => [u.what, u.instances!]));
    if (out === this.written) {
      this.writtenCounts = counts;
      this.firstWrite.resolve({ ok: true });
      return;
    }
    if (this.o.dry === true) {
      (this.o.print ?? ((t) => process.stdout.write(t)))(out);
      this.written = out;
      this.writtenCounts = counts;
      this.firstWrite.resolve({ ok: true });
      return;
    }
    await writeFileAtomically(this.spec.destination, out, this.spec.mode);
    this.written = out;
    this.writtenCounts = counts;
    this.counts.writes++;
    this.o.logger.info('template: rendered', { template: this.spec.source, destination: this.spec.destination });
    if (this.spec.command === undefined) this.firstWrite.resolve({ ok: true });
    else this.runCommand();
  }

  /** Runs the command after a write: never two at once; failed, again with back-off until it succeeds or a newer write's run does. */
  private runCommand(): void {
    if (this.commandRunning) {
      this.commandAgain = true;
      return;
    }
    if (this.commandTimer !== undefined) {
      clearTimeout(this.commandTimer);
      this.commandTimer = undefined;
    }
    this.commandRunning = true;
    void runCommand(this.spec.command!, this.spec.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS).then((outcome) => {
      this.commandRunning = false;
      if (this.stopped) return;
      if (this.commandAgain) {
        this.commandAgain = false;
        return this.runCommand();
      }
      if (outcome.ok) {
        this.counts.commands++;
        this.commandBackoff.reset();
        this.firstWrite.resolve(outcome);
        return;
      }
      this.counts.commandFailures++;
      if (this.o.once === true) return this.firstWrite.resolve(outcome);
      const wait = this.commandBackoff.next();
      this.o.logger.warn('template: command failed; running it again', { template: this.spec.source, command: this.spec.command, why: outcome.why, retryInMs: wait });
      this.commandTimer = setTimeout(() => {
        this.commandTimer = undefined;
        this.runCommand();
      }, wait);
    });
  }
}
