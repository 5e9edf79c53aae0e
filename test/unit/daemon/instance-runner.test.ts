import assert from 'node:assert/strict';
import { mock, test } from 'node:test';
import type { AppSpec } from '../../../src/core/app-spec.js';
import type { Clock } from '../../../src/core/clock.js';
import type { DriverEvents, InstanceDriver, SpawnedInstance } from '../../../src/core/driver.js';
import type { Blocker } from '../../../src/daemon/dependencies.js';
import { Instance, type InstanceHost } from '../../../src/daemon/instance.js';
import { TimerSet } from '../../../src/daemon/timers.js';

/** A driver whose spawns the test completes by hand, and processes whose exits it decides. */
class FakeDriver implements InstanceDriver {
  readonly spawns: Array<{ events: DriverEvents; resolve: (p: SpawnedInstance) => void; reject: (e: Error) => void }> = [];
  readonly stopsRequested: number[] = [];
  private nextPid = 4_000_000;

  spawn(_request: unknown, events: DriverEvents): Promise<SpawnedInstance> {
    return new Promise((resolve, reject) => this.spawns.push({ events, resolve, reject }));
  }

  /** Completes spawn number `n` with a new fake process. */
  complete(n: number): number {
    const pid = this.nextPid++;
    const stops = this.stopsRequested;
    this.spawns[n]?.resolve({
      pid,
      startTimeTicks: 1,
      stdout: null,
      stderr: null,
      requestStop: () => stops.push(pid),
      sendSignal: () => undefined,
      send: () => false,
    });
    return pid;
  }
}

const SPEC = {
  name: 'app',
  execMode: 'fork',
  waitReady: false,
  minUptimeMs: 1000,
  listenTimeoutMs: 3000,
  killTimeoutMs: 1600,
  killSignal: 'SIGINT',
  shutdownWithMessage: false,
  treekill: false,
  autorestart: true,
  stopExitCodes: [],
  maxRestarts: 16,
  restartDelayMs: 0,
  expBackoffRestartDelayMs: 0,
} as unknown as AppSpec;

function setup(
  spec: Partial<AppSpec> = {},
  queueSpawn?: InstanceHost['queueSpawn'],
): { instance: Instance; driver: FakeDriver; now: { ms: number }; dependencies: { blocker: Blocker | null } } {
  const driver = new FakeDriver();
  const now = { ms: 0 };
  const dependencies: { blocker: Blocker | null } = { blocker: null };
  const clock: Clock = { monotonicMs: () => now.ms, wallMs: () => now.ms };
  const host: InstanceHost = {
    clock,
    driverFor: () => driver,
    buildEnv: () => ({}),
    openLogs: () => null,
    changed: () => undefined,
    log: () => undefined,
    paceRestart: (delayMs) => delayMs,
    listenFds: () => [],
    notifyRelay: () => {
      throw new Error('no notify app in these tests');
    },
    queueSpawn: queueSpawn ?? ((job) => void job()),
    blockerOf: () => dependencies.blocker,
  };
  return { instance: new Instance(0, 0, { spec: { ...SPEC, ...spec }, baseEnv: {} }, host), driver, now, dependencies };
}

/** A setup whose spawn queue runs only when the test says so. */
function setupWithQueue(): ReturnType<typeof setup> & { host: { runQueued(): Promise<void> } } {
  const jobs: Array<() => Promise<void>> = [];
  const world = setup({}, (job) => jobs.push(job));
  return { ...world, host: { runQueued: async () => { for (const job of jobs.splice(0)) await job(); } } };
}

const settled = async (promise: Promise<void>): Promise<boolean> => {
  let done = false;
  void promise.then(() => (done = true));
  for (let i = 0; i < 5; i += 1) await Promise.resolve();
  return done;
};

test('restart() during a spawn resolves only once the restart spawned its own process', async () => {
  const { instance, driver } = setup();
  const started = instance.start();
  const restarted = instance.restart();
  driver.complete(0);
  assert.equal(await settled(started), true, 'the first start is answered by the first process');
  assert.equal(await settled(restarted), false, 'the restart is not');
  assert.equal(instance.lifecycle.name, 'stopping');
  driver.spawns[0]?.events.exited(0, 'SIGINT' as NodeJS.Signals);
  await Promise.resolve();
  assert.equal(driver.spawns.length, 2, 'the restart spawned again');
  const secondPid = driver.complete(1);
  assert.equal(await settled(restarted), true);
  assert.equal(instance.pid, secondPid);
  assert.equal(instance.restarts, 1);
});

test('a stop during a spawn stops the process as soon as it exists', async () => {
  const { instance, driver } = setup();
  void instance.start();
  const stopped = instance.stop();
  const pid = driver.complete(0);
  await Promise.resolve();
  await Promise.resolve();
  assert.deepEqual(driver.stopsRequested, [pid]);
  assert.equal(await settled(stopped), false);
  driver.spawns[0]?.events.exited(null, 'SIGINT');
  assert.equal(await settled(stopped), true);
  assert.equal(instance.state, 'stopped');
  assert.equal(instance.wanted, false);
});

test('an exit reported before the spawn call returns is not lost', async () => {
  const { instance, driver } = setup();
  const started = instance.start();
  driver.spawns[0]?.events.exited(3, null);
  driver.complete(0);
  await settled(started);
  assert.equal(instance.state, 'waiting', 'the crash went through the restart policy');
  assert.equal(instance.lastExit.code, 3);
});

test('leaving a state releases the timers it armed', async () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    const { instance, driver } = setup();
    void instance.start();
    driver.complete(0);
    await Promise.resolve();
    await Promise.resolve();
    assert.equal(instance.state, 'starting');
    void instance.stop();
    driver.spawns[0]?.events.exited(0, null);
    assert.equal(instance.state, 'stopped');
    mock.timers.tick(5000);
    assert.equal(instance.state, 'stopped', 'the min_uptime timer of the old run did not fire');
  } finally {
    mock.timers.reset();
  }
});

test('a timer longer than 24.8 days waits its whole delay instead of firing at once', () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    const timers = new TimerSet<'kill'>();
    let fired = false;
    const thirtyDaysMs = 30 * 24 * 3600 * 1000;
    timers.arm('kill', thirtyDaysMs, () => (fired = true));
    mock.timers.tick(2 ** 31 - 1);
    assert.equal(fired, false, 'still waiting after the first step');
    mock.timers.tick(thirtyDaysMs - (2 ** 31 - 1) - 1);
    assert.equal(fired, false, 'not a millisecond early');
    mock.timers.tick(1);
    assert.equal(fired, true);
  } finally {
    mock.timers.reset();
  }
});

test('a never-ready wait_ready instance is killed at listen_timeout and restarted by the policy', async () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    const { instance, driver, now } = setup({ waitReady: true, listenTimeoutMs: 500 });
    void instance.start();
    driver.complete(0);
    await Promise.resolve();
    await Promise.resolve();
    now.ms = 500;
    mock.timers.tick(500);
    assert.equal(instance.lifecycle.name, 'failing');
    driver.spawns[0]?.events.exited(null, 'SIGKILL');
    assert.equal(instance.state, 'waiting');
    assert.match(instance.history.toArray().at(-1)?.detail ?? '', /did not send "ready"/);
    mock.timers.tick(0);
    assert.equal(driver.spawns.length, 2, 'restarted');
    assert.equal(instance.restarts, 1);
  } finally {
    mock.timers.reset();
  }
});

test('an instance stopped while its spawn waits in the daemon queue is never spawned', async () => {
  const { instance, driver, host } = setupWithQueue();
  const started = instance.start();
  assert.equal(instance.state, 'starting', 'launching while it waits its turn');
  assert.equal(instance.wanted, true, 'and wanted, so a daemon crash meanwhile brings it back');
  const stopped = instance.stop();
  await host.runQueued();
  assert.equal(driver.spawns.length, 0);
  assert.equal(instance.state, 'stopped');
  assert.equal(await settled(started), true);
  assert.equal(await settled(stopped), true);
});

test('a start held back by depends_on is answered at once, spawns nothing until the dependency is online, and counts no restart', async () => {
  const { instance, driver, dependencies } = setup({ dependsOn: ['db'] });
  dependencies.blocker = { on: 'db', reason: 'waiting for db (launching)' };
  assert.equal(await settled(instance.start()), true, 'the caller is not kept waiting for the dependency');
  assert.deepEqual(instance.lifecycle, { name: 'blocked', on: 'db', reason: 'waiting for db (launching)', origin: 'command', cause: null });
  assert.equal(instance.state, 'waiting');
  assert.equal(instance.wanted, true, 'a daemon restart meanwhile starts it again');
  dependencies.blocker = { on: 'db', reason: 'waiting for db (errored)' };
  instance.dependenciesChanged();
  assert.equal(instance.lifecycle.name === 'blocked' ? instance.lifecycle.reason : null, 'waiting for db (errored)');
  assert.equal(driver.spawns.length, 0);
  dependencies.blocker = null;
  instance.dependenciesChanged();
  assert.equal(driver.spawns.length, 1);
  driver.complete(0);
  await Promise.resolve();
  assert.equal(instance.state, 'starting');
  assert.equal(instance.restarts, 0);
});

test('an app without depends_on never asks whether it may start', () => {
  const { instance, driver, dependencies } = setup();
  dependencies.blocker = { on: 'db', reason: 'waiting for db (stopped)' };
  void instance.start();
  assert.equal(driver.spawns.length, 1);
});
