import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findFreePort, helloSource, httpGet, instancesOf, startLoad, watchStatuses, useTendWithAppDir } from './support.js';

const RELOADS = 20;
const { tend, dir } = useTendWithAppDir();

test('20 reloads of a 2-worker app that handles no signals drop no request under keep-alive and new-connection load', async () => {
  const port = await findFreePort();
  const script = dir.write('app.cjs', helloSource('hello'));
  // A generous listen_timeout: on a loaded 2-core machine a worker may take seconds to listen,
  // and an aborted reload is tested elsewhere; here only dropped requests matter.
  await tend.ok(['start', script, '--name', 'web', '-i', '2', '-p', String(port), '--listen-timeout', '15s']);
  await tend.waitForStatus('web', 'online', 2);
  assert.equal((await httpGet(port)).status, 200);

  // Keep-alive loops reuse sockets across reloads; the others send `Connection: close`.
  const load = startLoad(port, { keepAliveLoops: 2, newConnectionLoops: 2, maxRequests: 400_000 });
  const statuses = await watchStatuses(tend, 'web', 1);
  const durationsMs: number[] = [];
  const reloads = (async () => {
    for (let n = 0; n < RELOADS; n += 1) {
      const startedAt = performance.now();
      await tend.ok(['reload', 'web']);
      durationsMs.push(performance.now() - startedAt);
    }
  })();
  // Both loops end even when a reload fails, so the test never leaves them running.
  const reloadOutcome = await reloads.then(() => null, (error: unknown) => error);
  const watched = await statuses.stop();
  const result = await load.stop();
  if (reloadOutcome !== null) throw reloadOutcome;
  const list = instancesOf(await tend.jlist(), 'web');
  const mean = durationsMs.reduce((a, b) => a + b, 0) / durationsMs.length;
  console.log(
    `reload-under-load: ${result.requests} requests, ${result.failedRequests} failed, ${result.socketErrors} socket errors` +
      ` over ${RELOADS} reloads; reload mean ${mean.toFixed(0)} ms, max ${Math.max(...durationsMs).toFixed(0)} ms;` +
      ` ${watched.samples} jlist samples, min online ${watched.minOnline}`,
  );
  assert.deepEqual(result.errorMessages, []);
  assert.equal(result.socketErrors, 0);
  assert.equal(result.failedRequests, 0);
  assert.ok(result.requests > 1000, `load was too light to prove anything: ${result.requests} requests`);
  assert.deepEqual(watched.violations, []);
  assert.ok(watched.samples >= 10, `too few status samples: ${watched.samples}`);
  assert.deepEqual(list.map((i) => i.status), ['online', 'online']);
  assert.deepEqual(list.map((i) => i.restarts), [RELOADS, RELOADS]);
});
