/** One Instance with a hand-driven driver and clock, for the instance tests. */
import type { AppSpec } from '../../../src/core/app-spec.js';
import type { Clock } from '../../../src/core/clock.js';
import type { DriverEvents, InstanceDriver, SpawnedInstance } from '../../../src/core/driver.js';
import type { Blocker } from '../../../src/daemon/dependencies.js';
import { Instance, type InstanceHost } from '../../../src/daemon/instance.js';

/** A driver whose spawns the test completes by hand, and processes whose exits it decides. */
export class FakeDriver implements InstanceDriver {
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

export interface InstanceWorld {
  instance: Instance;
  driver: FakeDriver;
  now: { ms: number };
  /** How far the wall clock is from the monotonic one: a test may jump it. */
  wall: { offsetMs: number };
  /** What holds the instance back (depends_on), as the supervisor would answer; a test sets it. */
  dependencies: { blocker: Blocker | null };
}

export function setup(spec: Partial<AppSpec> = {}, queueSpawn?: InstanceHost['queueSpawn']): InstanceWorld {
  const driver = new FakeDriver();
  const dependencies: { blocker: Blocker | null } = { blocker: null };
  const now = { ms: 0 };
  // The wall clock follows the monotonic one, plus an offset a test may jump.
  const wall = { offsetMs: 0 };
  const clock: Clock = { monotonicMs: () => now.ms, wallMs: () => now.ms + wall.offsetMs };
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
  return { instance: new Instance(0, 0, { spec: { ...SPEC, ...spec }, baseEnv: {} }, host), driver, now, wall, dependencies };
}

/** A setup whose spawn queue runs only when the test says so. */
export function setupWithQueue(): ReturnType<typeof setup> & { host: { runQueued(): Promise<void> } } {
  const jobs: Array<() => Promise<void>> = [];
  const world = setup({}, (job) => jobs.push(job));
  return { ...world, host: { runQueued: async () => { for (const job of jobs.splice(0)) await job(); } } };
}

