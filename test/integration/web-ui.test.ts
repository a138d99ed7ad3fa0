/// <reference lib="dom" />
// The callbacks given to page.evaluate and waitForFunction run in the browser.
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUi } from '../../scripts/build-ui.js';
import { launchBrowser, press, shows } from './browser.js';
import { eventually, freePort, TestCluster, type AgentProc } from './cluster-harness.js';

/**
 * The README shows the views as this test sees them: with ROSTER_UI_SCREENSHOTS=1 it writes its
 * pictures to docs/ui (commit them); otherwise to a temporary folder, so a run leaves the
 * checkout as it was.
 */
const SHOTS = process.env.ROSTER_UI_SCREENSHOTS === '1' ? resolve(import.meta.dirname, '../../docs/ui') : join(tmpdir(), `roster-ui-shots-${process.pid}`);
/** How long a view may take to show a change by itself (the "within a second", with room for a loaded CI machine). */
const LIVE_MS = 3000;

/**
 * The web UI in a real browser (headless Chromium through puppeteer-core) against 3 servers and
 * two client agents: what is registered, failed, killed or edited elsewhere shows in the open
 * page by itself (no reload: a mark set in the page survives), and a stale edit is refused.
 */
describe('the web UI in headless Chromium, on a client agent of a 3-server cluster', () => {
  let c: TestCluster;
  let ui: string;
  let app: string;
  let appAgent: AgentProc;
  let browser: Browser;
  let page: Page;
  const put = async (base: string, path: string, body?: string): Promise<string> => {
    const r = await fetch(`http://${base}${path}`, { method: 'PUT', ...(body === undefined ? {} : { body }) });
    const text = await r.text();
    if (!r.ok) throw new Error(`PUT ${path}: ${r.status} ${text}`);
    return text;
  };
  const open = async (view: string): Promise<void> => {
    await page.goto(`http://${ui}/ui/#/${view}`);
    await page.evaluate(() => ((window as unknown as { unreloaded: boolean }).unreloaded = true));
  };
  const notReloaded = async (): Promise<boolean> => page.evaluate(() => (window as unknown as { unreloaded?: boolean }).unreloaded === true);
  const shot = async (name: string): Promise<void> => {
    await page.screenshot({ path: `${SHOTS}/${name}.png` });
  };

  beforeAll(async () => {
    const built = await buildUi();
    console.log(`web UI bundle: ${(built.jsBytes / 1024).toFixed(1)} KiB (${(built.jsGzipBytes / 1024).toFixed(1)} KiB gzipped)`);
    mkdirSync(SHOTS, { recursive: true });
    c = await TestCluster.start({ servers: 3, hostBase: 147, serverApi: true, gossip: { extraArgs: ['--gossip-probe-interval-ms', '500', '--gossip-probe-timeout-ms', '200'] } });
    ui = `127.0.0.158:${await freePort('127.0.0.158')}`;
    app = `127.0.0.159:${await freePort('127.0.0.159')}`;
    await c.startAgent('ui-agent', '127.0.0.158', ['--api-addr', ui]);
    appAgent = await c.startAgent('app-host', '127.0.0.159', ['--api-addr', app]);
    ({ browser, page } = await launchBrowser());
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await c?.destroy();
  });

  it('serves the page and its bundle under /ui/ from the agent, with no other origin', async () => {
    const index = await fetch(`http://${ui}/ui/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-security-policy')).toContain("default-src 'self'");
    const html = await index.text();
    expect(html).toContain('app.js');
    const js = await fetch(`http://${ui}/ui/app.js`);
    expect(js.headers.get('content-type')).toMatch(/^text\/javascript/);
    const etag = js.headers.get('etag')!;
    expect((await fetch(`http://${ui}/ui/app.js`, { headers: { 'if-none-match': etag } })).status).toBe(304);
    expect((await fetch(`http://${ui}/ui`, { redirect: 'manual' })).headers.get('location')).toBe('/ui/');
    // Nothing outside the built folder can be named.
    expect(await (await fetch(`http://${ui}/ui/..%2f..%2fpackage.json`)).text()).toContain('app.js');
  });

  it('a service registered on another host appears by itself, and turns critical by itself when its check fails', async () => {
    await open('services');
    await shows(page, 'caption', /of \d+ services/);
    await put(app, '/v1/agent/service/register', JSON.stringify({ Name: 'payments', ID: 'payments-1', Port: 9090, Tags: ['v2', 'primary'], Meta: { version: '2.4.1' }, Check: { TTL: '60s', Notes: 'the app reports every 10 s' } }));
    await put(app, '/v1/agent/check/pass/service:payments-1?note=ready');
    const appeared = await shows(page, '[data-service="payments"]', '1 of 1 passing').catch(async (err: unknown) => {
      // Where it went missing: the catalog, the UI's own endpoint, or the app agent's sync.
      const text = (r: Response): Promise<string> => r.text().then((t) => `${r.status} index ${r.headers.get('x-consul-index')} ${t.slice(0, 300)}`);
      const catalog = await fetch(`http://${ui}/v1/catalog/services`).then(text, String);
      const endpoint = await fetch(`http://${ui}/v1/internal/ui/services`).then(text, String);
      const local = await fetch(`http://${app}/v1/agent/services`).then(text, String);
      throw new Error(`${String(err)}; catalog via the UI's agent: ${catalog}; its /v1/internal/ui/services now: ${endpoint}; the app agent's own services: ${local}; the app agent said: ${appAgent.log.slice(-8).join(' | ')}`, { cause: err });
    });
    const t0 = performance.now();
    await put(app, '/v1/agent/check/fail/service:payments-1?note=database unreachable');
    await shows(page, '[data-service="payments"]', '1 critical', 10_000);
    const turned = performance.now() - t0;
    console.log(`web UI: the service appeared ${appeared.toFixed(0)} ms after the page loaded; critical ${turned.toFixed(0)} ms after the check failed`);
    expect(turned).toBeLessThan(LIVE_MS);
    expect(await notReloaded()).toBe(true);
    await shot('services');

    await open('services/payments');
    await shows(page, '[data-instance="payments-1"]', 'database unreachable');
    expect(await page.$eval('[data-instance="payments-1"]', (e) => e.textContent)).toMatch(/critical.*127\.0\.0\.159:9090.*app-host.*primary.*version\s*2\.4\.1/s);
    // And passing again, by itself.
    await put(app, '/v1/agent/check/pass/service:payments-1?note=recovered');
    await shows(page, '[data-instance="payments-1"] [data-check="service:payments-1"]', /passing.*recovered/s, LIVE_MS);
    await shot('service');
  });

  it('nodes show their gossip status, and a killed agent turns failed by itself', async () => {
    await open('nodes');
    for (const name of [...c.servers.map((s) => s.name), 'ui-agent', 'app-host']) await shows(page, `[data-node="${name}"]`, 'alive');
    expect(await page.$eval('[data-node="ui-agent"]', (e) => e.textContent)).toMatch(/alive.*client.*127\.0\.0\.158.*dc1.*agent/s);
    await shot('nodes');
    // A pause: suspect in the view (a gossip state only, the catalog has no change), then alive.
    c.signalAgent(appAgent, 'SIGSTOP');
    try {
      await shows(page, '[data-node="app-host"]', 'suspect', 10_000);
    } finally {
      c.signalAgent(appAgent, 'SIGCONT');
    }
    await shows(page, '[data-node="app-host"]', 'alive', 15_000);
    await open('nodes/app-host');
    await shows(page, '.checks', 'Roster member health');
    await shows(page, 'table', 'payments-1');
    c.signalAgent(appAgent, 'SIGKILL');
    await shows(page, '.checks [data-check="serfHealth"]', 'critical', 15_000);
    await open('nodes');
    await shows(page, '[data-node="app-host"]', 'failed');
    expect(await notReloaded()).toBe(true);
  });

  it('key/value: browse a prefix, view JSON pretty-printed, and a stale edit is refused and shown', async () => {
    await put(ui, '/v1/kv/config/payments/limits', JSON.stringify({ rps: 100, burst: 20 }));
    await put(ui, '/v1/kv/config/payments/banner', 'first');
    await open('kv/config/payments/');
    await shows(page, 'table', 'limits');
    await open('kv/config/payments/limits');
    await shows(page, '[data-testid="value"]', '"rps": 100');
    await shot('kv');

    await open('kv/config/payments/banner');
    await shows(page, '[data-testid="value"]', 'first');
    await press(page, 'Edit');
    // Someone else changes the key while the page edits it; the page follows it, the edit keeps its index.
    await put(ui, '/v1/kv/config/payments/banner', 'second (from elsewhere)');
    await shows(page, '[data-testid="modify-index"]', /\d+/);
    // As a user would: select the text, type over it (input events, so the page's state follows).
    await page.click('textarea[name="value"]');
    await page.keyboard.down('Control');
    await page.keyboard.press('KeyA');
    await page.keyboard.up('Control');
    await page.keyboard.press('Backspace');
    await page.type('textarea[name="value"]', 'mine');
    await press(page, 'Save');
    await shows(page, '.said', /Refused: config\/payments\/banner changed since you began editing/);
    const stored = (await (await fetch(`http://${ui}/v1/kv/config/payments/banner?raw`)).text());
    expect(stored).toBe('second (from elsewhere)');
    await shot('kv-stale-edit');
    // Taking the current index over, the edit is saved.
    await press(page, 'Keep my text', true);
    const current = await page.$eval('[data-testid="modify-index"]', (e) => e.textContent ?? '');
    await shows(page, 'form label', `editing index ${current}`);
    await press(page, 'Save');
    await shows(page, '.said', 'Saved.');
    let last = '';
    await eventually('the edit stored', async () => ((last = await (await fetch(`http://${ui}/v1/kv/config/payments/banner?raw`)).text()) === 'mine' ? true : undefined)).catch((err: unknown) => {
      throw new Error(`${String(err)}: the key holds ${JSON.stringify(last)}`);
    });
  });

  it('key/value: a key named with . and .. segments is that key, not another; an edit keeps the flags', async () => {
    await put(ui, '/v1/kv/config/dots/b', 'the plain key');
    await put(ui, `/v1/kv/${encodeURIComponent('config/dots/a/../b')}`, 'the dotted key');
    await open('kv/config/dots/a/');
    await shows(page, 'table', '../');
    await open('kv/config/dots/a/../b');
    await shows(page, '[data-testid="value"]', 'the dotted key');
    // Flags written with the value stay with the value the page saves.
    await put(ui, `/v1/kv/${encodeURIComponent('config/dots/a/../b')}?flags=42`, 'flagged');
    await shows(page, '[data-testid="value"]', 'flagged');
    await press(page, 'Edit');
    await page.type('textarea[name="value"]', ' and edited');
    await press(page, 'Save');
    await shows(page, '.said', 'Saved.');
    const [entry] = (await (await fetch(`http://${ui}/v1/kv/${encodeURIComponent('config/dots/a/../b')}`)).json()) as { Flags: number; Value: string }[];
    expect([entry!.Flags, Buffer.from(entry!.Value, 'base64').toString()]).toEqual([42, 'flagged and edited']);
    expect(await (await fetch(`http://${ui}/v1/kv/config/dots/b?raw`)).text()).toBe('the plain key');
    // The page works from any path under /ui/ (its bundle is named from the root).
    await page.goto(`http://${ui}/ui/some/deep/path#/kv/config/dots/b`);
    await shows(page, '[data-testid="value"]', 'the plain key');
  });

  it('key/value: create under a prefix, delete a key and a prefix after confirming', async () => {
    await open('kv/config/payments/');
    await page.type('input[name="key"]', 'created');
    await page.type('form textarea[name="value"]', 'made in the UI');
    await press(page, 'Create');
    await shows(page, '.said', 'Created config/payments/created.');
    await shows(page, 'table', 'created');
    expect(await (await fetch(`http://${ui}/v1/kv/config/payments/created?raw`)).text()).toBe('made in the UI');
    // The same name again is refused, not overwritten.
    await page.type('input[name="key"]', 'created');
    await press(page, 'Create');
    await shows(page, '.said', 'exists already');

    await open('kv/config/payments/created');
    await press(page, 'Delete');
    await press(page, 'Delete it');
    await eventually('the key deleted', async () => ((await fetch(`http://${ui}/v1/kv/config/payments/created`)).status === 404 ? true : undefined));
    // The page goes back to the key's folder by itself, and the key is gone from it.
    await shows(page, 'h1', 'config/payments/');
    await page.waitForFunction(() => !(document.querySelector('table')?.textContent ?? 'created').includes('created'), { timeout: 10_000, polling: 50 });

    await press(page, 'Delete the prefix', true);
    await press(page, 'Delete them');
    await eventually('the prefix deleted', async () => ((await (await fetch(`http://${ui}/v1/kv/config/payments/?keys`)).text()) === '[]' ? true : undefined));
  });

  it('sessions and locks: who holds which lock', async () => {
    const session = JSON.parse(await put(ui, '/v1/session/create', JSON.stringify({ Name: 'payments-leader', TTL: '120s' }))) as { ID: string };
    expect(await put(ui, `/v1/kv/locks/payments/leader?acquire=${session.ID}`, 'ui-agent')).toBe('true');
    await open('sessions');
    await shows(page, '[data-lock="locks/payments/leader"]', session.ID);
    expect(await page.$eval('[data-lock="locks/payments/leader"]', (e) => e.textContent)).toContain('payments-leader');
    await shows(page, `[data-session="${session.ID}"]`, /payments-leader.*ui-agent.*serfHealth.*120s/s);
    await shot('sessions');
    await put(ui, `/v1/session/destroy/${session.ID}`);
    await eventually('the lock released in the view', async () => ((await page.$(`[data-lock="locks/payments/leader"]`)) === null ? true : undefined));
  });

  it('cluster: the leader, each Raft peer with its match index, and the gossip pool', async () => {
    await open('cluster');
    const leader = await c.waitForLeader();
    await shows(page, '[data-testid="leader"]', leader.name);
    for (const s of c.servers) await shows(page, `[data-peer="${s.name}"]`, /voter\s*\d+/);
    await shows(page, '[data-member="app-host"]', /failed|left/);
    // The serving agent's own figures from its metrics (a client agent: no Raft or API figures of its own).
    await shows(page, '[data-testid="local"]', /client agent.*Memory \(RSS\)\s*\d+ MiB/s);
    expect(await page.$eval('[data-testid="local"]', (e) => e.textContent)).not.toContain('Applied index');
    // Served by a server's agent: its Raft progress, and its API's calls with their rate.
    const leaderPage = await browser.newPage();
    try {
      await leaderPage.goto(`http://${leader.apiAddr!}/ui/#/cluster`);
      await shows(leaderPage, '[data-testid="local"]', /ok.*Applied index\s*\d+.*Apply lag\s*\d+ entries.*API calls\s*\d+ \(\d+\.\d\/s\)/s);
    } finally {
      await leaderPage.close();
    }
    await shot('cluster');
  });

  it('works on a narrow screen: the tables scroll inside the page, the navigation wraps', async () => {
    await page.setViewport({ width: 390, height: 800 });
    await open('services/payments');
    await shows(page, '[data-instance="payments-1"]', 'payments-1');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await shot('narrow');
    await page.setViewport({ width: 1200, height: 720 });
  });

  it('survives a leader killed and every server restarted: the page says it is cut off, keeps what it showed, and follows again', async () => {
    const register = (name: string): Promise<string> => put(ui, '/v1/agent/service/register', JSON.stringify({ Name: name, ID: `${name}-1`, Port: 7000 }));
    await open('services');
    await register('before-failover');
    await shows(page, '[data-service="before-failover"]', 'before-failover');
    // The leader killed: the agent's reads go to the others, a new registration still shows.
    const leader = await c.waitForLeader();
    c.kill9(leader);
    await register('after-failover');
    await shows(page, '[data-service="after-failover"]', 'after-failover', 30_000);
    await c.launch(leader, 'existing');
    // Every server down: the agent is cut off; the page says so and keeps its last answer.
    for (const s of c.servers) c.kill9(s);
    await shows(page, '[role="alert"]', /Cannot read services now .*showing the last answer, trying again/, 30_000);
    expect(await page.$eval('[data-service="after-failover"]', (e) => e.textContent)).toContain('after-failover');
    // Back: the banner goes, and a change made after the restart shows by itself.
    await Promise.all(c.servers.map((s) => c.launch(s, 'existing')));
    await c.waitForLeader(30_000);
    await register('after-restart');
    await shows(page, '[data-service="after-restart"]', 'after-restart', 30_000);
    await page.waitForFunction(() => document.querySelector('[role="alert"]') === null, { timeout: 15_000, polling: 50 });
    expect(await notReloaded()).toBe(true);
  });
});
