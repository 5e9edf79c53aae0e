import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:http';
import { test } from 'node:test';
import { expandCheck, runCheck } from '../../../src/daemon/probes/probe-check.js';
import { untilNextBoundaryMs } from '../../../src/daemon/probes/probe-runner.js';
import { INITIAL_COUNTER, type ProbeCounter, countCheck } from '../../../src/daemon/probes/probe-verdict.js';
import { parseNotifyAssignment } from '../../../src/daemon/readiness/notify-relay.js';

test('a probe turns passing after success_threshold passes and failing after failure_threshold failures, once per streak', () => {
  const limits = { successThreshold: 2, failureThreshold: 3 };
  let counter: ProbeCounter = INITIAL_COUNTER;
  const verdicts: Array<string | null> = [];
  for (const ok of [true, true, true, false, false, true, false, false, false, false, true, true]) {
    const step = countCheck(counter, ok, limits);
    counter = step.counter;
    verdicts.push(step.verdict);
  }
  assert.deepEqual(verdicts, [null, 'passed', null, null, null, null, null, null, 'failed', null, null, 'passed']);
  assert.equal(counter.passing, true);
});

test('sd_notify assignments', () => {
  assert.deepEqual(parseNotifyAssignment('READY=1'), { type: 'ready' });
  assert.deepEqual(parseNotifyAssignment('STATUS=Serving 3 clients = ok'), { type: 'status', text: 'Serving 3 clients = ok' });
  assert.deepEqual(parseNotifyAssignment('STOPPING=1'), { type: 'stopping' });
  assert.deepEqual(parseNotifyAssignment('WATCHDOG=1'), { type: 'watchdog' });
  assert.deepEqual(parseNotifyAssignment('READY=0'), { type: 'other' });
  assert.deepEqual(parseNotifyAssignment('MAINPID=42'), { type: 'other' });
});

test('probe targets expand ${NAME} from the instance env and nothing else', () => {
  const env = { PORT: '3001', HOME: '/root' };
  assert.deepEqual(expandCheck({ type: 'http', url: 'http://127.0.0.1:${PORT}/ready' }, env), { type: 'http', url: 'http://127.0.0.1:3001/ready' });
  assert.deepEqual(expandCheck({ type: 'exec', argv: ['check', '$HOME', '${HOME}', '${MISSING}', '$(id)'] }, env), {
    type: 'exec',
    argv: ['check', '$HOME', '/root', '${MISSING}', '$(id)'],
  });
});

test('http, tcp and exec checks against real servers and commands', async () => {
  const server = createServer((req, res) => {
    res.statusCode = req.url === '/ok' ? 200 : req.url === '/moved' ? 302 : 503;
    if (req.url === '/slow') return;
    res.end();
  }).listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  try {
    assert.deepEqual(await runCheck({ type: 'http', url: `http://127.0.0.1:${port}/ok` }, 1000, '/'), { ok: true, detail: null });
    assert.deepEqual(await runCheck({ type: 'http', url: `http://127.0.0.1:${port}/moved` }, 1000, '/'), { ok: true, detail: null }, 'a redirect passes and is not followed');
    assert.deepEqual(await runCheck({ type: 'http', url: `http://127.0.0.1:${port}/down` }, 1000, '/'), { ok: false, detail: 'HTTP 503' });
    assert.equal((await runCheck({ type: 'http', url: `http://127.0.0.1:${port}/slow` }, 150, '/')).ok, false);
    assert.deepEqual(await runCheck({ type: 'tcp', host: '127.0.0.1', port }, 1000, '/'), { ok: true, detail: null });
  } finally {
    server.close();
  }
  assert.deepEqual(await runCheck({ type: 'tcp', host: '127.0.0.1', port }, 1000, '/'), { ok: false, detail: 'ECONNREFUSED' });
  assert.deepEqual(await runCheck({ type: 'exec', argv: ['true'] }, 1000, '/'), { ok: true, detail: null });
  assert.deepEqual(await runCheck({ type: 'exec', argv: ['false'] }, 1000, '/'), { ok: false, detail: 'exit code 1' });
  assert.deepEqual(await runCheck({ type: 'exec', argv: ['printenv', 'PROBE_X'] }, 1000, '/', { PROBE_X: '1' }), { ok: true, detail: null }, 'the instance env');
  assert.deepEqual(await runCheck({ type: 'exec', argv: ['sleep', '5'] }, 100, '/'), { ok: false, detail: 'no exit within 100 ms' });
  assert.deepEqual(await runCheck({ type: 'exec', argv: ['echo hi; true'] }, 1000, '/'), { ok: false, detail: 'ENOENT' }, 'no shell');
});

test('probe checks fall on multiples of their period, never sooner than half a period after the last', () => {
  assert.equal(untilNextBoundaryMs(10_250, 1000), 750);
  assert.equal(untilNextBoundaryMs(10_001, 1000), 999);
  assert.equal(untilNextBoundaryMs(10_900, 1000), 1100, 'a check that ended near a boundary skips it');
  assert.equal(untilNextBoundaryMs(12_000, 1000), 1000);
});
