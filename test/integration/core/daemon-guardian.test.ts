import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { GUARDIAN_MIN_RUN_S, GUARDIAN_NAME, GUARDIAN_SCRIPT } from '../../../src/api/daemon-guardian.js';
import { guardianOf } from '../../../src/api/daemon-process.js';
import { readAllProcStats } from '../../../src/metrics/proc-stat.js';
import { FIXTURES, TendHarness, isAlive, until } from '../../helpers/tend-harness.js';

// The guardian script with a stand-in daemon: a shell command that notes each run in a file.
let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'tend-guardian-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

function guard(name: string, daemon: string, minRunS = 1): { status: number | null; runs: number } {
  const runs = join(dir, `${name}.runs`);
  const run = spawnSync('/bin/sh', ['-c', GUARDIAN_SCRIPT, GUARDIAN_NAME, String(minRunS), '0', '/bin/sh', '-c', daemon, 'daemon', runs], { timeout: 20_000 });
  let count = 0;
  try {
    count = readFileSync(runs, 'utf8').length;
  } catch {
    // Never ran.
  }
  return { status: run.status, runs: count };
}

test('an orderly exit (status 0) is not retried', () => {
  assert.deepEqual(guard('orderly', 'printf x >> "$1"; exit 0'), { status: 0, runs: 1 });
});

test('a daemon that dies as it starts is not retried: the guardian ends with its status', () => {
  assert.deepEqual(guard('startup', 'printf x >> "$1"; exit 3'), { status: 3, runs: 1 });
  assert.deepEqual(guard('killed-at-once', 'printf x >> "$1"; kill -9 $$'), { status: 137, runs: 1 });
});

test('the start-up window is measured finer than whole seconds: a daemon dying 0.6 s in is never retried', () => {
  // With a whole-second clock half of these runs would straddle a second boundary and count as up.
  for (let i = 0; i < 3; i += 1) {
    assert.deepEqual(guard(`straddle-${i}`, 'printf x >> "$1"; sleep 0.6; exit 5'), { status: 5, runs: 1 });
  }
});

test('a daemon killed after running a while is started again', () => {
  // First run: up for over a second, then SIGKILLed. Second run: stops in order.
  const daemon = 'printf x >> "$1"; if [ "$(wc -c < "$1")" -eq 1 ]; then sleep 1.2; kill -9 $$; fi; exit 0';
  assert.deepEqual(guard('restarted', daemon), { status: 0, runs: 2 });
});

let tend: TendHarness;
before(() => {
  tend = new TendHarness();
});
after(() => tend.cleanup());

test('a background daemon SIGKILLed after its first seconds comes back by itself with the same apps', async () => {
  await tend.ok(['start', join(FIXTURES, 'idle.js'), '--name', 'kept', '--min-uptime', '200ms']);
  const [before] = await tend.waitForStatus('kept', 'online');
  const daemon = tend.daemonPid();
  assert.ok(daemon && before?.pid);
  // Past the guardian's start-up window, then killed: no tend command runs until it is back.
  await new Promise((resolve) => setTimeout(resolve, GUARDIAN_MIN_RUN_S * 1000 + 300));
  process.kill(daemon, 'SIGKILL');
  const fresh = await until(() => {
    const pid = tend.daemonPid();
    return pid !== null && pid !== daemon && isAlive(pid) ? pid : undefined;
  }, 'a new daemon started by the guardian', 15_000);
  const [after] = await tend.waitForStatus('kept', 'online');
  assert.equal(after?.pid, before.pid, 'the new daemon adopted the app, it was not started again');
  assert.equal(tend.daemonPid(), fresh);
  await tend.ok(['kill']);
  assert.deepEqual(tend.processesOfThisHome(), [], 'kill ends the daemon and its guardian');
});

test('tend kill between a crash and the restart stops the guardian: no daemon comes back', async () => {
  await tend.ok(['start', join(FIXTURES, 'idle.js'), '--name', 'gone', '--min-uptime', '200ms']);
  await tend.waitForStatus('gone', 'online');
  const daemon = tend.daemonPid();
  assert.ok(daemon);
  await new Promise((resolve) => setTimeout(resolve, GUARDIAN_MIN_RUN_S * 1000 + 300));
  process.kill(daemon, 'SIGKILL');
  await until(() => !isAlive(daemon), 'the daemon is gone');
  // Normally the guardian is still in its pause; on a loaded machine it may have started the
  // daemon already, which kill then stops. Either way nothing may come back afterwards.
  const out = await tend.ok(['kill']);
  assert.match(out, /stopped the guardian|stopped the daemon its guardian had just started again|daemon stopped/);
  // Longer than the guardian's pause: had it survived, a daemon would be back by now.
  await new Promise((resolve) => setTimeout(resolve, 2500));
  assert.deepEqual(tend.tendProcessesOfThisHome(), []);
});

test('tend kill while the guardian is starting a daemon again: that daemon is stopped as well, and nothing comes back', async () => {
  await tend.ok(['start', join(FIXTURES, 'idle.js'), '--name', 'coming', '--min-uptime', '200ms']);
  await tend.waitForStatus('coming', 'online');
  const daemon = tend.daemonPid();
  assert.ok(daemon);
  const guardian = guardianOf(daemon);
  assert.ok(guardian, 'the daemon runs under a guardian');
  await new Promise((resolve) => setTimeout(resolve, GUARDIAN_MIN_RUN_S * 1000 + 300));
  process.kill(daemon, 'SIGKILL');
  // The guardian's new daemon is caught as it starts and held there (SIGSTOP) while kill runs.
  const deadline = Date.now() + 15_000;
  let starting: number | undefined;
  while (starting === undefined) {
    assert.ok(Date.now() < deadline, 'the guardian started no daemon');
    // The guardian's own forks (`$(now)`, `sleep` before its exec) carry the guardian's command
    // line, daemon script included: the daemon is the child that has run Node.
    // The killed daemon stays the guardian's child until it is reaped: it is not the one starting.
    starting = readAllProcStats().find((stat) => stat.ppid === guardian && stat.pid !== daemon && isDaemonStarting(cmdlineOf(stat.pid)))?.pid;
    if (starting === undefined) await new Promise((resolve) => setTimeout(resolve, 2));
  }
  process.kill(starting, 'SIGSTOP');
  const kill = tend.run(['kill'], { timeoutMs: 30_000 });
  await new Promise((resolve) => setTimeout(resolve, 500));
  process.kill(starting, 'SIGCONT');
  const result = await kill;
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /stopped the daemon its guardian had just started again|daemon stopped/);
  assert.equal(isAlive(starting), false, 'the daemon that was starting is gone');
  // Longer than the guardian's pause: had anything survived, a daemon and the app would be back.
  await new Promise((resolve) => setTimeout(resolve, 2500));
  assert.deepEqual(tend.processesOfThisHome(), []);
});

test('tend kill with no daemon ends the apps a crashed daemon left, and starts nothing', async () => {
  await tend.ok(['start', join(FIXTURES, 'idle.js'), '--name', 'orphan', '--min-uptime', '200ms']);
  const [app] = await tend.waitForStatus('orphan', 'online');
  assert.ok(app?.pid);
  // The daemon and its guardian die together: nothing will restart the daemon.
  for (const pid of tend.tendProcessesOfThisHome()) process.kill(pid, 'SIGKILL');
  await until(() => tend.tendProcessesOfThisHome().length === 0, 'daemon and guardian gone');
  assert.equal(isAlive(app.pid), true, 'the app outlives them');
  const out = await tend.ok(['kill']);
  assert.match(out, /no daemon running; ended 1 process/);
  assert.equal(isAlive(app.pid), false);
  const state = JSON.parse(readFileSync(join(tend.home, 'state.json'), 'utf8')) as { apps: unknown[] };
  assert.deepEqual(state.apps, []);
  assert.deepEqual(tend.processesOfThisHome(), []);
});

function isDaemonStarting(cmdline: string): boolean {
  const argv0 = cmdline.split('\0')[0];
  return argv0 === process.execPath || argv0 === 'tend-daemon';
}

function cmdlineOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'latin1');
  } catch {
    return ''; // gone
  }
}
