import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { DescribeResult } from '../../../src/core/instance-info.js';
import { FIXTURES, TendHarness } from '../../helpers/tend-harness.js';
import { findFreePort, freshConnectionsEvery10Ms } from './support.js';

let tend: TendHarness;
before(() => {
  tend = new TendHarness('tend-probes-');
});
after(() => tend.cleanup());

const PERIOD_MS = 300;
const FAILURE_THRESHOLD = 2;

test('a liveness probe that starts failing restarts the instance within period x failure_threshold + one period, cause liveness', async () => {
  const port = await findFreePort();
  const unhealthy = join(tend.home, 'unhealthy');
  const config = join(tend.home, 'live.config.json');
  writeFileSync(
    config,
    JSON.stringify({
      apps: [
        {
          name: 'live',
          script: join(FIXTURES, 'http-health.js'),
          env: { PORT: port, UNHEALTHY_FILE: unhealthy },
          liveness: { http: `http://127.0.0.1:${port}/health`, period_ms: PERIOD_MS, timeout_ms: 200, failure_threshold: FAILURE_THRESHOLD },
        },
      ],
    }),
  );
  await tend.ok(['start', config]);
  // On a loaded machine the app may be slower to listen than two periods: the probe then restarts
  // it before it ever answered (ECONNREFUSED), as it should. What is measured starts from a pass.
  const passing = await tend.waitFor((l) => l.some((i) => i.name === 'live' && i.probes?.liveness?.ok === true), 'a passing liveness check');
  const restartsBefore = passing.find((i) => i.name === 'live')?.restarts ?? 0;
  const failingSince = Date.now();
  writeFileSync(unhealthy, '');
  await tend.waitFor((l) => (l.find((i) => i.name === 'live')?.restarts ?? 0) > restartsBefore, 'a liveness restart');
  const [described] = JSON.parse(await tend.ok(['describe', 'live', '--json'])) as DescribeResult[];
  const sinceFailing = described?.history.filter((h) => h.at >= failingSince) ?? [];
  const exited = sinceFailing.find((h) => h.event === 'exited');
  const scheduled = sinceFailing.find((h) => h.event === 'restart-scheduled');
  assert.equal(scheduled?.cause, 'liveness');
  assert.match(scheduled?.detail ?? '', /liveness probe failed: HTTP 500/);
  // The decision is due by the bound; the app (no SIGINT handler) exits at once on the stop signal.
  const boundMs = PERIOD_MS * FAILURE_THRESHOLD + PERIOD_MS;
  assert.ok(exited !== undefined && exited.at - failingSince <= boundMs + 200, `stopped ${(exited?.at ?? 0) - failingSince} ms after failing (bound ${boundMs} ms)`);
  await tend.ok(['delete', 'live']);
});

test('a readiness probe that never passes aborts a reload; the old instances keep serving, and the new one drains what it took', async () => {
  const port = await findFreePort();
  const config = join(tend.home, 'gate.config.json');
  writeFileSync(
    config,
    JSON.stringify({
      apps: [
        {
          name: 'gate',
          script: join(FIXTURES, 'http-inherited-fd.js'),
          instances: 2,
          exec_mode: 'fork',
          listen: `127.0.0.1:${port}`,
          // The probe runs with the instance's environment (no shell): instances started without
          // READY_TOKEN, as after the reload below, are never ready.
          readiness: { exec: ['printenv', 'READY_TOKEN'], period_ms: 300, timeout_ms: 3000 },
          listen_timeout: 2000,
        },
      ],
    }),
  );
  // Each answer takes 100 ms: the new instance accepts on the shared socket before it is ready, so
  // it has requests in flight when the reload gives up on it. It is stopped by its kill signal
  // (it drains), not SIGKILLed, which would reset them.
  await tend.ok(['start', config], { env: { READY_TOKEN: '1', RESPONSE_DELAY_MS: '100' } });
  const serving = (await tend.waitForStatus('gate', 'online', 2)).filter((i) => i.name === 'gate');
  const pids = serving.map((i) => i.pid);
  assert.ok(serving.every((i) => i.ready === true), 'online means the readiness probe passed');
  const load = freshConnectionsEvery10Ms(port);
  const reload = await tend.run(['reload', 'gate', '--update-env'], { env: { RESPONSE_DELAY_MS: '100' } });
  const { failures, requests, pids: answeredBy } = await load.stop();
  assert.notEqual(reload.code, 0);
  assert.match(reload.stderr, /reload of gate \(id \d+\) aborted: did not pass its readiness probe/);
  const after = (await tend.jlist()).filter((i) => i.name === 'gate');
  assert.deepEqual(after.map((i) => i.pid), pids, 'the old instances were kept');
  assert.ok(after.every((i) => i.status === 'online'));
  assert.deepEqual(failures, [], `${failures.length} of ${requests} requests failed during the aborted reload`);
  assert.ok(answeredBy.size > pids.length, `the instance given up on had answered requests too (answered by ${[...answeredBy].join(', ')})`);
});
