import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { FIXTURES, TendHarness, until } from '../../helpers/tend-harness.js';
import { type Browser, launchBrowser, startWeb } from './web-support.js';

// One daemon, one browser, one page for the whole file: the steps follow each other as a user
// would click through them, and launching Chromium once keeps the file to a few seconds.
const tend = new TendHarness('tend-web-');
let browser: Browser;
let page: Page;

const row = (app: string): string => `tr[data-app="${app}"]`;

/** Polls an element's text from the test side, so no browser-side code needs DOM types here. */
function waitForText(selector: string, pattern: RegExp): Promise<string> {
  return until(async () => {
    const text = (await page.locator(selector).first().textContent({ timeout: 1000 }).catch(() => null)) ?? '';
    return pattern.test(text) ? text : undefined;
  }, `${selector} to show ${pattern}`, 10_000);
}

before(async () => {
  await tend.ok(['start', join(FIXTURES, 'print-ticks.js'), '--name', 'ticker']);
  await tend.waitForStatus('ticker', 'online');
  const web = await startWeb(tend);
  browser = await launchBrowser();
  page = await browser.context.newPage();
  const response = await page.goto(web.tokenUrl ?? '');
  assert.equal(response?.status(), 200);
});

after(async () => {
  await browser?.close();
  await tend.cleanup();
});

test('opening the printed URL trades the token for an HttpOnly SameSite=Strict cookie and strips it', async () => {
  assert.equal(new URL(page.url()).search, '', 'the token is gone from the address bar');
  const cookie = (await browser.context.cookies()).find((c) => c.name === 'tend_token');
  assert.ok(cookie, 'the token cookie is set');
  assert.equal(cookie.httpOnly, true);
  assert.equal(cookie.sameSite, 'Strict');
});

test('the table shows a started app as online with its pid', async () => {
  const [info] = await tend.jlist();
  await page.waitForSelector(`${row('ticker')} [data-status="online"]`, { timeout: 10_000 });
  assert.equal((await page.textContent(`${row('ticker')} .pid`))?.trim(), String(info?.pid));
});

test('the uptime moves on with the metrics ticks', async () => {
  const cell = `${row('ticker')} .uptime`;
  const changed = (from: string): Promise<string> =>
    until(async () => {
      const now = (await page.textContent(cell))?.trim() ?? '';
      return now !== from ? now : undefined;
    }, `the uptime cell to change from ${from}`);
  // Twice: the first tick after the page opened may be a whole list, the next ones are frames.
  const second = await changed((await page.textContent(cell))?.trim() ?? '');
  assert.match(await changed(second), /^\d+[smhd]$/);
});

test('the log pane shows lines the app printed', async () => {
  await page.click(row('ticker'));
  await waitForText('[data-testid="log-pane"]', /tick \d+ from \d+/);
});

test('the status changes live when the app is stopped from the CLI', async () => {
  const loads: string[] = [];
  page.on('load', () => loads.push(page.url()));
  await tend.ok(['stop', 'ticker']);
  await page.waitForSelector(`${row('ticker')} [data-status="stopped"]`, { timeout: 10_000 });
  assert.deepEqual(loads, [], 'the page was not reloaded: the change came over the event stream');
});

test('the start and restart buttons act on the app; a restart changes the pid', async () => {
  await page.click('button[data-action="start"]');
  const [started] = await tend.waitForStatus('ticker', 'online');
  await page.waitForSelector(`${row('ticker')} [data-status="online"]`, { timeout: 10_000 });
  const oldPid = started?.pid;
  assert.ok(oldPid);
  await page.click('button[data-action="restart"]');
  const restarted = await until(async () => {
    const [info] = await tend.jlist();
    return info && info.status === 'online' && info.pid !== oldPid ? info : undefined;
  }, 'a new pid after the restart button');
  await waitForText(`${row('ticker')} .pid`, new RegExp(`^\\s*${restarted.pid}\\s*$`));
  // The restart history comes from describe and names the cause.
  await waitForText('.history', /manual/);
});

test('charts are drawn for the selected app', async () => {
  await page.waitForSelector('[data-chart="cpu"] canvas', { timeout: 10_000 });
  await page.waitForSelector('[data-chart="memory"] canvas', { timeout: 10_000 });
});

test('the page fits a phone-sized screen without sideways scrolling', async () => {
  await page.setViewportSize({ width: 390, height: 844 });
  const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
  assert.ok(overflow <= 0, `the page is ${overflow}px wider than the screen`);
  assert.equal(await page.isVisible(`${row('ticker')} [data-status]`), true);
});

test('delete asks for confirmation and removes the app', async () => {
  let asked = '';
  page.once('dialog', (dialog) => {
    asked = dialog.message();
    void dialog.accept();
  });
  await page.click('button[data-action="delete"]');
  await tend.waitFor((list) => list.length === 0, 'the app deleted');
  assert.match(asked, /Delete ticker/);
  await page.waitForSelector(row('ticker'), { state: 'detached', timeout: 10_000 });
});
