import { describe, expect, it } from 'vitest';
import { ProgressBar, renderProgress } from '../../src/terminal/progress-bar.js';

/** A stand-in for stderr that records what is written. */
function fakeStream(isTTY: boolean): NodeJS.WriteStream & { text: string } {
  const s = { isTTY, text: '', write(chunk: string) { s.text += chunk; return true; } };
  return s as unknown as NodeJS.WriteStream & { text: string };
}

describe('progress bar', () => {
  it('renders the fraction as a bar and a percentage, clamped to 0-100%', () => {
    expect(renderProgress('saving', 0.5, 10)).toBe('saving [#####.....]  50%');
    expect(renderProgress('saving', 2, 4)).toBe('saving [####] 100%');
    expect(renderProgress('saving', Number.NaN, 4)).toBe('saving [....]   0%');
  });

  it('draws on a terminal and ends the line at 100%; writes nothing when stderr is not a terminal', () => {
    const tty = fakeStream(true);
    const bar = new ProgressBar('restoring', tty);
    bar.update(0.25);
    bar.done();
    expect(tty.text).toBe(`\r${renderProgress('restoring', 0.25)}\r${renderProgress('restoring', 1)}\n`);
    const pipe = fakeStream(false);
    const quiet = new ProgressBar('restoring', pipe);
    quiet.update(0.5);
    quiet.done();
    expect(pipe.text).toBe('');
  });

  it('puts a note after the finished bar; off a terminal, a note gets a plain line and a bar without one nothing', () => {
    const tty = fakeStream(true);
    const bar = new ProgressBar('puts', tty);
    bar.update(0.5);
    bar.done('1200/s');
    expect(tty.text).toBe(`\r${renderProgress('puts', 0.5)}\r${renderProgress('puts', 1)}  1200/s\n`);
    const pipe = fakeStream(false);
    const logged = new ProgressBar('puts', pipe);
    logged.update(0.5);
    logged.done('1200/s');
    logged.done();
    expect(pipe.text).toBe('puts  1200/s\n');
  });
});
