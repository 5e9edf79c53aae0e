import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findFreePort, httpGet, instancesOf, useTendWithAppDir } from './support.js';

const { tend, dir } = useTendWithAppDir();

const CRASH_IF_INSTANCE_1 = [
  "if (process.env.NODE_APP_INSTANCE === '1') { console.error('instance 1 refuses to start'); process.exit(2); }",
  "require('node:http').createServer((req, res) => res.end('alive ' + process.pid)).listen(Number(process.env.PORT), '127.0.0.1');",
  '',
].join('\n');

test('a worker that crash-loops ends errored while the other keeps serving untouched', async () => {
  const port = await findFreePort();
  const script = dir.write('crash-if-1.cjs', CRASH_IF_INSTANCE_1);
  await tend.ok(['start', script, '--name', 'loop', '-i', '2', '-p', String(port), '--max-restarts', '3']);
  const [healthy] = instancesOf(await tend.waitFor((l) => instancesOf(l, 'loop')[0]?.status === 'online', 'instance 0 online'), 'loop');
  assert.ok(healthy?.pid);

  const list = await tend.waitFor((l) => instancesOf(l, 'loop')[1]?.status === 'errored', 'instance 1 errored');
  const [first, second] = instancesOf(list, 'loop');
  assert.equal(second?.pid, null);
  assert.equal(second?.exit_code, 2);
  assert.match(second?.error ?? '', /code 2/);
  assert.equal(first?.status, 'online');
  assert.equal(first?.pid, healthy.pid);
  assert.equal(first?.restarts, 0);
  const answer = await httpGet(port);
  assert.equal(answer.status, 200);
  assert.equal(answer.body, `alive ${healthy.pid}`);
});
