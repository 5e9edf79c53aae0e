import assert from 'node:assert/strict';
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { FIXTURES, TendHarness, isAlive, until } from '../../helpers/tend-harness.js';

let tend: TendHarness;
beforeEach(() => {
  tend = new TendHarness();
});
afterEach(() => tend.cleanup());

test('a TEND_HOME deleted under a running daemon comes back: same apps, private socket, logs written again', async () => {
  await tend.ok(['start', join(FIXTURES, 'print-ticks.js'), '--name', 'ticker', '--min-uptime', '200ms']);
  const [before] = await tend.waitForStatus('ticker', 'online');
  const daemonPid = tend.daemonPid();
  assert.ok(before?.pid && daemonPid);

  rmSync(tend.home, { recursive: true, force: true });
  // The next command reaches the same daemon once it has listened again (its sampler tick).
  const [after] = await tend.waitForStatus('ticker', 'online');
  assert.equal(after?.pid, before.pid, 'the app was never restarted');
  assert.equal(tend.daemonPid(), daemonPid);
  assert.equal(statSync(tend.home).mode & 0o777, 0o700);
  assert.equal(statSync(join(tend.home, 'tend.sock')).mode & 0o777, 0o600);
  const state = JSON.parse(readFileSync(join(tend.home, 'state.json'), 'utf8')) as { apps: { spec: { name: string } }[] };
  assert.deepEqual(state.apps.map((a) => a.spec.name), ['ticker']);
  // New lines go to a new file at the usual path, not into the deleted one.
  await until(() => {
    try {
      return /tick \d+/.test(readFileSync(join(tend.home, 'logs', 'ticker-out.log'), 'utf8'));
    } catch {
      return false;
    }
  }, 'lines in the re-created log file');
});

test('SIGTERM stops the daemon and its apps even when TEND_HOME cannot be written', async () => {
  await tend.ok(['start', join(FIXTURES, 'idle.js'), '--name', 'idle', '--min-uptime', '200ms']);
  const [app] = await tend.waitForStatus('idle', 'online');
  const daemonPid = tend.daemonPid();
  assert.ok(app?.pid && daemonPid);

  // A file where the folder was: the state, the pid file and the socket can no longer be written.
  rmSync(tend.home, { recursive: true, force: true });
  writeFileSync(tend.home, 'not a folder');
  process.kill(daemonPid, 'SIGTERM');
  await until(() => !isAlive(daemonPid), 'the daemon exited', 10_000);
  await until(() => !isAlive(app.pid as number), 'its app was stopped', 10_000);
});
