/// <reference lib="dom" />
// The callbacks given to page.evaluate and waitForFunction run in the browser.
import puppeteer, { type Browser, type Page } from 'puppeteer-core';

/** Debian's chromium (.ci/run installs it). */
const CHROMIUM = process.env.ROSTER_CHROMIUM ?? '/usr/bin/chromium';

/** Headless Chromium with one page, 1200 x 720. */
export async function launchBrowser(): Promise<{ browser: Browser; page: Page }> {
  const browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  const page = await browser.newPage();
  await page.setViewport({ width: 1200, height: 720 });
  return { browser, page };
}

/** Waits until the element `selector` shows `text`; how long it took. */
export async function shows(page: Page, selector: string, text: string | RegExp, timeoutMs = 15_000): Promise<number> {
  const t0 = performance.now();
  const pattern = typeof text === 'string' ? { source: text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), flags: '' } : { source: text.source, flags: text.flags };
  try {
    await page.waitForFunction(
      (sel: string, source: string, flags: string) => Array.from(document.querySelectorAll(sel)).some((e) => new RegExp(source, flags).test(e.textContent ?? '')),
      // Polled: a text node changed in place is not a mutation puppeteer's observer sees.
      { timeout: timeoutMs, polling: 50 },
      selector,
      pattern.source,
      pattern.flags,
    );
  } catch (err) {
    // Say what the page showed instead.
    const seen = await page.evaluate((sel: string) => Array.from(document.querySelectorAll(sel)).map((e) => e.textContent ?? '').join(' | '), selector).catch(() => '(page gone)');
    const main = await page.evaluate(() => document.querySelector('main')?.textContent ?? '').catch(() => '(page gone)');
    throw new Error(`${String(err)}: ${selector} never showed ${String(text)}; it showed: ${JSON.stringify(seen.slice(0, 500))}; the view: ${JSON.stringify(main.slice(0, 800))}`, { cause: err });
  }
  return performance.now() - t0;
}

/** Clicks the button whose text is (or, with `starts`, begins with) `label`, once it is there. */
export async function press(page: Page, label: string, starts = false): Promise<void> {
  const button = await page.waitForSelector(`xpath/.//button[${starts ? `starts-with(text(), "${label}")` : `text()="${label}"`}]`, { timeout: 15_000 });
  await button!.click();
}

