import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { once } from 'node:events';
import { after, before, test } from 'node:test';
import { TendHarness } from '../../helpers/tend-harness.js';
import { startWeb } from '../web/web-support.js';

const tend = new TendHarness('tend-webmove-');
const blocker = createServer();

before(async () => {
  blocker.listen(0, '127.0.0.1');
  await once(blocker, 'listening');
});
after(async () => {
  blocker.close();
  await tend.cleanup();
});

test('tend web --port <busy port> fails with exit 1 and the dashboard keeps serving where it was', async () => {
  const web = await startWeb(tend);
  const busy = (blocker.address() as { port: number }).port;
  const moved = await tend.run(['web', '--port', String(busy)]);
  assert.equal(moved.code, 1);
  assert.match(moved.stderr, new RegExp(`cannot serve on 127\\.0\\.0\\.1:${busy} .*the dashboard stays on ${web.url?.replace(/[.]/g, '\\.')}`));
  const status = JSON.parse(await tend.ok(['web', '--status', '--json'])) as { running: boolean; url: string };
  assert.deepEqual([status.running, status.url], [true, web.url]);
  const page = await fetch(`${web.url}metrics`, { headers: { Authorization: `Bearer ${web.token}` } });
  assert.equal(page.status, 200);
});
