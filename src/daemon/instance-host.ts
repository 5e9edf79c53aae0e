import type { Readable } from 'node:stream';
import type { AppSpec } from '../core/app-spec.js';
import type { Clock } from '../core/clock.js';
import type { InstanceDriver } from '../core/driver.js';
import type { Blocker } from './dependencies.js';
import type { Instance } from './instance.js';
import type { NotifyRelay } from './readiness/notify-relay.js';

/** The app an instance belongs to; shared by its instances and replaced on `--update-env`. */
export interface AppRecord {
  spec: AppSpec;
  baseEnv: Record<string, string>;
}

export interface LogSinkLike {
  attach(stream: 'out' | 'err', source: Readable): void;
  close(): Promise<void>;
}

/** What an instance needs from the supervisor around it. */
export interface InstanceHost {
  clock: Clock;
  driverFor(spec: AppSpec): InstanceDriver;
  buildEnv(instance: Instance): Record<string, string>;
  openLogs(instance: Instance): LogSinkLike | null;
  changed(instance: Instance): void;
  log(level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>): void;
  /** The delay an automatic restart really waits: the daemon paces crash loops of every app together. */
  paceRestart(delayMs: number): number;
  /** The sockets the app's instances inherit (`listen`), bound by the daemon. */
  listenFds(spec: AppSpec): readonly number[];
  /** The daemon's sd_notify receiver, for `ready: 'notify'` apps. */
  notifyRelay(): NotifyRelay;
  /** Runs a spawn when the daemon's spawn queue gets to it (see spawn-queue.ts). */
  queueSpawn(job: () => Promise<void>): void;
  /** The first of the app's dependencies (depends_on) not online now, or null when it may start. */
  blockerOf(instance: Instance): Blocker | null;
}
