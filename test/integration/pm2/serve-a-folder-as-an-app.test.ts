import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { DescribeResult } from '../../../src/core/instance-info.js';
import { findFreePort } from '../cluster/support.js';
import { TendHarness, until } from '../../helpers/tend-harness.js';

let tend: TendHarness;
let site: string;
let outside: string;
before(() => {
  tend = new TendHarness();
  outside = mkdtempSync(join(tmpdir(), 'tend-serve-'));
  site = join(outside, 'site');
  mkdirSync(join(site, 'assets'), { recursive: true });
  mkdirSync(join(site, '.git'));
  writeFileSync(join(site, 'index.html'), '<h1>home</h1>\n');
  writeFileSync(join(site, 'assets', 'app.css'), 'h1 { color: teal }\n');
  writeFileSync(join(site, '.env'), 'SECRET=hunter2\n');
  writeFileSync(join(site, '.git', 'config'), '[core]\n');
  writeFileSync(join(outside, 'private.txt'), 'not for the web\n');
  symlinkSync(join(outside, 'private.txt'), join(site, 'leak.txt'));
  symlinkSync(join(site, 'assets', 'app.css'), join(site, 'inside.css'));
});
after(async () => {
  await tend.cleanup();
  rmSync(outside, { recursive: true, force: true });
});

async function get(port: number, path: string, headers: Record<string, string> = {}): Promise<{ status: number; type: string | null; body: string }> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, { headers });
  return { status: response.status, type: response.headers.get('content-type'), body: await response.text() };
}

test('tend serve <dir> <port> runs a static file server as an app: files with their types, 404 for the rest, nothing outside the folder', async () => {
  const port = await findFreePort();
  await tend.ok(['serve', site, String(port)]);
  const [row] = await tend.waitForStatus(`static-page-server-${port}`, 'online');
  assert.equal(row?.mode, 'fork');
  assert.deepEqual(await get(port, '/'), { status: 200, type: 'text/html; charset=utf-8', body: '<h1>home</h1>\n' });
  assert.deepEqual(await get(port, '/assets/app.css'), { status: 200, type: 'text/css; charset=utf-8', body: 'h1 { color: teal }\n' });
  assert.equal((await get(port, '/inside.css')).status, 200, 'a symlink to a file inside the folder is served');
  for (const path of ['/missing.html', '/.env', '/.git/config', '/leak.txt', '/%2e%2e/private.txt', '/assets/%2e%2e/%2e%2e/private.txt']) {
    const answer = await get(port, path);
    assert.equal(answer.status, 404, path);
    assert.doesNotMatch(answer.body, /hunter2|not for the web|core/, path);
  }
  assert.equal((await fetch(`http://127.0.0.1:${port}/`, { method: 'POST' })).status, 405);

  await tend.ok(['stop', `static-page-server-${port}`]);
  await assert.rejects(fetch(`http://127.0.0.1:${port}/`), 'stopped: nothing listens');
});

test('--spa answers unknown paths with index.html; basic auth asks for the user, whose password is not in the arguments', async () => {
  const port = await findFreePort();
  await tend.ok(['serve', site, String(port), '--spa', '--name', 'spa', '--basic-auth-username', 'ann', '--basic-auth-password', 'pa55word']);
  await tend.waitForStatus('spa', 'online');
  const auth = { Authorization: `Basic ${Buffer.from('ann:pa55word').toString('base64')}` };
  assert.equal((await get(port, '/')).status, 401);
  assert.equal((await get(port, '/', { Authorization: `Basic ${Buffer.from('ann:wrong').toString('base64')}` })).status, 401);
  assert.deepEqual(await get(port, '/dashboard/settings', auth), { status: 200, type: 'text/html; charset=utf-8', body: '<h1>home</h1>\n' });
  assert.equal((await get(port, '/.env', auth)).body, '<h1>home</h1>\n', 'a refused path gets the page, never the file');
  const [described] = JSON.parse(await tend.ok(['describe', 'spa', '--json'])) as DescribeResult[];
  assert.ok(described && !described.spec.args.join(' ').includes('pa55word'), 'the password is not an argument (ps shows those)');
});

test('a busy port is a failed start, not a green online; a folder that does not exist is refused at once', async () => {
  const port = await findFreePort();
  await tend.ok(['serve', site, String(port), '--name', 'first']);
  await tend.waitForStatus('first', 'online');
  await tend.ok(['serve', site, String(port), '--name', 'second']);
  const list = await until(async () => {
    const rows = await tend.jlist();
    const second = rows.find((i) => i.name === 'second');
    return second && second.restarts >= 1 ? rows : undefined;
  }, 'the second server to fail on the busy port');
  assert.notEqual(list.find((i) => i.name === 'second')?.status, 'online');
  const missing = await tend.run(['serve', join(outside, 'nope'), String(port)]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /^tend: serve: .*nope is not a folder\n$/);
});

test("an ecosystem entry written for PM2, script: 'serve' with PM2_SERVE_* in env, runs tend's static server", async () => {
  const port = await findFreePort();
  const file = join(outside, 'ecosystem.config.js');
  writeFileSync(
    file,
    `module.exports = { apps: [{ name: 'front', script: 'serve', env: { PM2_SERVE_PATH: './site', PM2_SERVE_PORT: ${port}, PM2_SERVE_SPA: 'true', PM2_SERVE_HOMEPAGE: '/index.html' } }] };\n`,
  );
  await tend.ok(['start', file]);
  await tend.waitForStatus('front', 'online');
  assert.deepEqual(await get(port, '/assets/app.css'), { status: 200, type: 'text/css; charset=utf-8', body: 'h1 { color: teal }\n' });
  assert.equal((await get(port, '/any/client/route')).body, '<h1>home</h1>\n', 'PM2_SERVE_SPA');
});
