import assert from 'node:assert/strict';
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { FIXTURES, TendHarness } from '../../helpers/tend-harness.js';
import { startWeb } from './web-support.js';

const tend = new TendHarness('tend-webauth-');
let base = '';
let token = '';

before(async () => {
  // The web section of config.json starts the dashboard together with the daemon.
  writeFileSync(join(tend.home, 'config.json'), JSON.stringify({ web: { enabled: true, port: 0 } }));
  await tend.ok(['start', join(FIXTURES, 'idle.js'), '--name', 'quiet']);
  const status = JSON.parse(await tend.ok(['web', '--status', '--json'])) as { running: boolean; url: string };
  assert.equal(status.running, true, 'config.json started the dashboard with the daemon');
  const web = await startWeb(tend); // Already running: `tend web --port 0` reports the same server.
  assert.equal(web.url, status.url);
  base = web.url ?? '';
  token = web.token;
});

after(() => tend.cleanup());

const bearer = (): Record<string, string> => ({ Authorization: `Bearer ${token}` });

test('every route answers 401 without the token, or with a wrong one', async () => {
  for (const path of ['', 'api/processes', 'metrics', 'assets/app.js', 'api/events', 'nope']) {
    assert.equal((await fetch(base + path)).status, 401, `/${path}`);
  }
  assert.equal((await fetch(`${base}metrics`, { headers: { Authorization: `Bearer ${token}x` } })).status, 401);
  assert.equal((await fetch(`${base}?token=${token.slice(0, -1)}`, { redirect: 'manual' })).status, 401);
  assert.equal((await fetch(base, { headers: { Cookie: `tend_token=${token.toUpperCase()}` } })).status, 401);
});

test('the token file is private and reused after stop and start', async () => {
  assert.equal(statSync(join(tend.home, 'web.token')).mode & 0o777, 0o600);
  assert.match(await tend.ok(['web', '--stop']), /stopped/);
  assert.equal((await fetch(base, { headers: bearer() }).catch(() => null))?.status, undefined, 'nothing listens any more');
  const again = await startWeb(tend);
  assert.equal(again.token, token);
  base = again.url ?? '';
});

test('the page URL token becomes a cookie; the cookie then opens the page', async () => {
  const first = await fetch(`${base}?token=${encodeURIComponent(token)}`, { redirect: 'manual' });
  assert.equal(first.status, 303);
  assert.equal(first.headers.get('location'), '/');
  const cookie = first.headers.get('set-cookie') ?? '';
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Strict/);
  const page = await fetch(base, { headers: { Cookie: cookie.split(';')[0] ?? '' } });
  assert.equal(page.status, 200);
  assert.match(await page.text(), /<div id="app">/);
});

test('static files carry an ETag and answer 304 when unchanged', async () => {
  const first = await fetch(`${base}assets/app.js`, { headers: bearer() });
  assert.equal(first.status, 200);
  assert.match(first.headers.get('content-type') ?? '', /javascript/);
  const etag = first.headers.get('etag') ?? '';
  assert.ok(etag.length > 0);
  assert.equal((await fetch(`${base}assets/app.js`, { headers: { ...bearer(), 'If-None-Match': etag } })).status, 304);
});

test('actions change nothing on GET and need the bearer header or cookie plus X-Tend-Request', async () => {
  const [before] = await tend.waitForStatus('quiet', 'online');
  const body = JSON.stringify({ action: 'stop', target: 'quiet' });
  const json = { 'Content-Type': 'application/json' };
  assert.equal((await fetch(`${base}api/actions`, { headers: bearer() })).status, 405);
  const cookieOnly = await fetch(`${base}api/actions`, { method: 'POST', body, headers: { ...json, Cookie: `tend_token=${token}` } });
  assert.equal(cookieOnly.status, 403);
  const queryOnly = await fetch(`${base}api/actions?token=${token}`, { method: 'POST', body, headers: json });
  assert.equal(queryOnly.status, 401, 'a URL token never authorises a change');
  const [unchanged] = await tend.jlist();
  assert.equal(unchanged?.status, 'online', 'nothing was stopped');
  assert.equal(unchanged?.pid, before?.pid, 'nothing was restarted');
  const bad = await fetch(`${base}api/actions`, { method: 'POST', body: JSON.stringify({ action: '__proto__', target: 'quiet' }), headers: { ...json, ...bearer() } });
  assert.equal(bad.status, 400);
  const ok = await fetch(`${base}api/actions`, { method: 'POST', body, headers: { ...json, Cookie: `tend_token=${token}`, 'X-Tend-Request': '1' } });
  assert.equal(ok.status, 200);
  await tend.waitForStatus('quiet', 'stopped');
});

test('binding beyond loopback needs --allow-remote', async () => {
  const refused = await tend.run(['web', '--host', '0.0.0.0', '--port', '0']);
  assert.notEqual(refused.code, 0);
  assert.match(refused.stderr, /allow-remote/);
});
