/// <reference lib="dom" />
// The callbacks given to page.evaluate and waitForFunction run in the browser.
import type * as grpc from '@grpc/grpc-js';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aclProto } from '../../src/proto/acl-proto.js';
import { buildUi } from '../../scripts/build-ui.js';
import { launchBrowser, press, shows } from './browser.js';
import { eventually, freePort, TestCluster } from './cluster-harness.js';
import { TokenCalls } from './token-calls.js';

/** What a read-only operator of the payments team may see. */
const VIEWER_RULES = ['service_prefix "pay" { policy = "read" }', 'node_prefix "" { policy = "read" }', 'key_prefix "app/" { policy = "read" }', 'session_prefix "" { policy = "read" }'].join('\n');

/**
 * The web UI against 3 servers with ACLs in deny mode: without a token it shows nothing of the
 * registry; with a token typed into its field (kept in the tab's session, so a reload keeps it)
 * every view shows what that token may read and nothing else, and a view the token may not read
 * at all says so instead of failing.
 */
describe('the web UI with ACLs in deny mode, in headless Chromium', () => {
  let c: TestCluster;
  let ui: string;
  let mgmt = '';
  let viewer = '';
  let browser: Browser;
  let page: Page;
  const calls = new TokenCalls();
  const Acl = (): grpc.ServiceClientConstructor => aclProto().roster.acl.v1.Acl as unknown as grpc.ServiceClientConstructor;
  const acl = <T>(method: string, req: unknown, token?: string): Promise<T> => calls.call<T>(c.servers[0]!.clientAddr, Acl(), method, req, token);
  const put = async (path: string, body: string, token: string): Promise<string> => {
    const r = await fetch(`http://${ui}${path}`, { method: 'PUT', body, headers: { 'X-Consul-Token': token } });
    const text = await r.text();
    if (!r.ok) throw new Error(`PUT ${path}: ${r.status} ${text}`);
    return text;
  };
  const mainText = (): Promise<string> => page.evaluate(() => document.querySelector('main')?.textContent ?? '');

  beforeAll(async () => {
    await buildUi();
    c = await TestCluster.start({ servers: 3, hostBase: 177, extraArgs: ['--acl-enabled', '--acl-default-policy', 'deny'], gossip: { extraArgs: ['--gossip-probe-interval-ms', '500', '--gossip-probe-timeout-ms', '200'] } });
    mgmt = (await acl<{ token: { secretId: string } }>('Bootstrap', {})).token.secretId;
    await acl('PolicyCreate', { name: 'ui-agent', rules: 'node "ui-acl-agent" { policy = "write" }\nservice_prefix "" { policy = "write" }' }, mgmt);
    const agentToken = (await acl<{ token: { secretId: string } }>('TokenCreate', { description: 'agent', policies: [{ name: 'ui-agent' }] }, mgmt)).token.secretId;
    await acl('PolicyCreate', { name: 'payments-viewer', rules: VIEWER_RULES }, mgmt);
    viewer = (await acl<{ token: { secretId: string } }>('TokenCreate', { description: 'payments viewer', policies: [{ name: 'payments-viewer' }] }, mgmt)).token.secretId;
    ui = `127.0.0.188:${await freePort('127.0.0.188')}`;
    await c.startAgent('ui-acl-agent', '127.0.0.188', ['--api-addr', ui, '--acl-agent-token', agentToken, '--acl-enabled']);
    for (const [name, port] of [['payments', 9090], ['billing-secret', 9191]] as const) await put('/v1/agent/service/register', JSON.stringify({ Name: name, ID: `${name}-1`, Port: port }), mgmt);
    await put('/v1/kv/app/config', 'visible to the viewer', mgmt);
    await put('/v1/kv/secret/key', 'hidden from the viewer', mgmt);
    // The agent syncs its services to the catalog with its own token.
    await eventually('both services in the catalog', async () => {
      const r = await fetch(`http://${ui}/v1/catalog/services`, { headers: { 'X-Consul-Token': mgmt } });
      const names = Object.keys((await r.json()) as Record<string, unknown>);
      return names.includes('payments') && names.includes('billing-secret') ? true : undefined;
    }, 20_000);
    ({ browser, page } = await launchBrowser());
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    calls.close();
    await c?.destroy();
  });

  it('shows nothing of the registry without a token', async () => {
    await page.goto(`http://${ui}/ui/#/services`);
    await shows(page, 'caption', '0 of 0 services');
    await page.goto(`http://${ui}/ui/#/kv/app/config`);
    await shows(page, '[role="alert"]', /Permission denied|ACL not found|403/);
    expect(await mainText()).not.toContain('visible to the viewer');
  });

  it('with a token typed into its field, every view shows what the token may read and nothing else', async () => {
    await page.goto(`http://${ui}/ui/#/services`);
    await page.type('input[type="password"]', viewer);
    await press(page, 'Use');
    await shows(page, '[data-service="payments"]', 'payments');
    await shows(page, 'caption', '1 of 1 services');
    expect(await mainText()).not.toContain('billing-secret');
    // The token stays for this tab: a reload keeps it.
    await page.reload();
    await shows(page, '[data-service="payments"]', 'payments');

    await page.goto(`http://${ui}/ui/#/services/payments`);
    await shows(page, '[data-instance="payments-1"]', '9090');
    await page.goto(`http://${ui}/ui/#/services/billing-secret`);
    await shows(page, 'caption', '0 instances');

    await page.goto(`http://${ui}/ui/#/nodes`);
    await shows(page, '[data-node="ui-acl-agent"]', 'alive');

    await page.goto(`http://${ui}/ui/#/kv/app/config`);
    await shows(page, '[data-testid="value"]', 'visible to the viewer');
    await page.goto(`http://${ui}/ui/#/kv/secret/key`);
    await shows(page, '[role="alert"]', /Permission denied|403/);
    expect(await mainText()).not.toContain('hidden from the viewer');
    // Read-only: an edit is refused by the agent, and the page says so.
    await page.goto(`http://${ui}/ui/#/kv/app/config`);
    await press(page, 'Edit');
    await press(page, 'Save');
    await shows(page, '.said', /Not saved: 403/);

    await page.goto(`http://${ui}/ui/#/sessions`);
    await shows(page, 'caption', /\d+ sessions/);
    // The cluster's figures need operator:read, which the viewer lacks: the view says so.
    await page.goto(`http://${ui}/ui/#/cluster`);
    await shows(page, '[role="alert"]', /Cannot read the cluster now \(403/);
  });
});
