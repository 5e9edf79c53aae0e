import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import type { MetricsPoint } from '../../../src/api/web-types.js';
import { FIXTURES, TendHarness, until } from '../../helpers/tend-harness.js';
import { type Browser, launchBrowser, startWeb } from './web-support.js';

const tend = new TendHarness('tend-web-');
let browser: Browser;
let page: Page;
let base: string;
let token: string;

const LONG_NAME = 'crash-looping-app-with-a-rather-long-name';
const row = (app: string): string => `tr[data-app="${app}"]`;

before(async () => {
  // Crashes 300 ms after each start: past min_uptime, so it is `online` between crashes.
  await tend.ok(['start', join(FIXTURES, 'crash-after-start.js'), '--name', LONG_NAME, '--min-uptime', '100ms'], { env: { CRASH_AFTER_MS: '300' } });
  await tend.ok(['start', join(FIXTURES, 'idle.js'), '--name', 'steady']);
  await tend.waitForStatus('steady', 'online');
  const web = await startWeb(tend);
  base = web.url ?? '';
  token = web.token;
  browser = await launchBrowser();
  page = await browser.context.newPage();
  await page.goto(web.tokenUrl ?? '');
});

after(async () => {
  await browser?.close();
  await tend.cleanup();
});

async function historyOf(id: number): Promise<MetricsPoint[]> {
  return (await (await fetch(`${base}api/history/${id}`, { headers: { Authorization: `Bearer ${token}` } })).json()) as MetricsPoint[];
}

test('/favicon.ico is an icon, served without the token', async () => {
  const response = await fetch(`${base}favicon.ico`);
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('content-type'), 'image/x-icon');
  const body = Buffer.from(await response.arrayBuffer());
  assert.deepEqual([...body.subarray(0, 6)], [0, 0, 1, 0, 1, 0], 'an ICO header with one image');
  assert.equal(body.length, 6 + 16 + 40 + 16 * 16 * 4 + 16 * 4);
  assert.equal((await fetch(`${base}api/processes`)).status, 401, 'the rest still needs the token');
});

test('a crash-looping app is not shown as a green online: its restarts of the last minutes are said', async () => {
  const list = await tend.waitFor((l) => (l.find((i) => i.name === LONG_NAME)?.recent_restarts ?? 0) >= 3, 'three automatic restarts');
  assert.equal(list.find((i) => i.name === 'steady')?.recent_restarts, 0);
  await page.waitForSelector(`${row(LONG_NAME)} [data-restarts="crash-loop"]`, { timeout: 10_000 });
  assert.match((await page.textContent(`${row(LONG_NAME)} .recent-restarts`)) ?? '', /crash loop: \d+ restarts in 5 min/);
  assert.equal(await page.getAttribute(`${row('steady')} [data-status]`, 'data-restarts'), 'settled');
  const colours = await page.evaluate<string[]>(
    `[...document.querySelectorAll('tr[data-app] [data-status]')].map((e) => e.dataset.restarts + ' ' + getComputedStyle(e).backgroundColor)`,
  );
  const [loop, steady] = [colours.find((c) => c.startsWith('crash-loop')), colours.find((c) => c.startsWith('settled'))];
  assert.ok(loop && steady && loop.split(' ').slice(1).join(' ') !== steady.split(' ').slice(1).join(' '), `different colours: ${colours.join(', ')}`);
});

test('no column is cut on narrow screens: the table fits its box at every width', async () => {
  for (const width of [360, 390, 600, 900, 1280]) {
    await page.setViewportSize({ width, height: 800 });
    const fit = await until(
      () => page.evaluate<{ box: number; table: number; page: number }>(
        `(() => { const w = document.querySelector('.table-wrap'); return { box: w.clientWidth, table: w.scrollWidth, page: document.documentElement.scrollWidth - innerWidth }; })()`,
      ),
      'a layout',
    );
    assert.ok(fit.table <= fit.box, `${width} px: the table is ${fit.table - fit.box} px wider than its box`);
    assert.ok(fit.page <= 0, `${width} px: the page scrolls sideways`);
    for (const column of ['status', 'cpu', 'memory']) {
      assert.equal(await page.isVisible(`table.processes th:text-is("${column}")`), true, `${width} px: ${column} is shown`);
    }
  }
});

test('an instance keeps its chart history across a restart; a deleted one is forgotten', async () => {
  const [steady] = (await tend.jlist()).filter((i) => i.name === 'steady');
  assert.ok(steady);
  const before = await until(async () => {
    const points = await historyOf(steady.id);
    return points.length >= 2 ? points : undefined;
  }, 'two samples of steady');
  await tend.ok(['restart', 'steady']);
  const [restarted] = await tend.waitFor((l) => l.some((i) => i.name === 'steady' && i.status === 'online' && i.pid !== steady.pid), 'steady restarted');
  const after = await until(async () => {
    const points = await historyOf(steady.id);
    return points.some((p) => p.at > (restarted?.started_at ?? Infinity)) ? points : undefined;
  }, 'a sample after the restart');
  assert.equal(after[0]?.at, before[0]?.at, 'the samples from before the restart are still there');

  await tend.ok(['delete', 'all']);
  await tend.ok(['start', join(FIXTURES, 'idle.js'), '--name', 'fresh']);
  const [fresh] = await tend.waitForStatus('fresh', 'online');
  assert.equal(fresh?.id, 0, 'ids start again from 0 once every app is deleted');
  const points = await historyOf(fresh.id);
  assert.ok(points.every((p) => p.at >= (fresh.started_at ?? 0) - 1000), 'no sample of the deleted app that had this id');
});
