import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findFreePort, instancesOf, pidsOf, startLoad, useTendWithAppDir, waitServing } from '../cluster-e2e/support.js';

const { tend, dir } = useTendWithAppDir();

/** An HTTP server that needs 4 s before it listens (a cache to warm, a migration to run). */
const SLOW_SOURCE = [
  "const http = require('node:http');",
  "setTimeout(() => http.createServer((req, res) => res.end('slow ' + process.pid)).listen(Number(process.env.PORT), '127.0.0.1'), 4000);",
  '',
].join('\n');

test('a cluster app that listens after 4 s is online, serves, never restarts, and reloads under load with no failed request', async () => {
  const port = await findFreePort();
  const script = dir.write('slow.cjs', SLOW_SOURCE);
  await tend.ok(['start', script, '--name', 'slow', '-i', '2', '-p', String(port), '--listen-timeout', '20s']);
  await tend.waitForStatus('slow', 'online', 2);
  await waitServing(port);
  const before = instancesOf(await tend.jlist(), 'slow');
  assert.deepEqual(before.map((i) => i.restarts), [0, 0]);

  const load = startLoad(port, { keepAliveLoops: 1, newConnectionLoops: 2, maxRequests: 200_000 });
  const reload = await tend.run(['reload', 'slow'], { timeoutMs: 90_000 });
  const result = await load.stop();
  assert.equal(reload.code, 0, reload.stderr);
  const after = instancesOf(await tend.jlist(), 'slow');
  assert.deepEqual(after.map((i) => i.status), ['online', 'online']);
  assert.deepEqual(after.map((i) => i.restarts), [1, 1]);
  assert.ok(pidsOf(after, 'slow').every((pid) => !pidsOf(before, 'slow').includes(pid)));
  assert.deepEqual(result.errorMessages, []);
  assert.equal(result.failedRequests + result.socketErrors, 0);
  assert.ok(result.requests > 100, `load too light: ${result.requests}`);
});
