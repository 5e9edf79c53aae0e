import type { Readable } from 'node:stream';
import type { AppSpec } from './app-spec.js';

/**
 * How the supervisor starts one instance, whatever runs it: the fork driver spawns a child
 * process; the cluster driver asks the app's cluster host for a worker. The state machine
 * only sees this interface.
 */
export interface SpawnRequest {
  spec: AppSpec;
  /** Stable instance id (the `id` in jlist). */
  id: number;
  /** Index among the app's instances (0..N-1). */
  instance: number;
  /** The complete environment the process gets. */
  env: Record<string, string>;
  /** Sockets the process inherits as fd 3 onwards (LISTEN_FDS); none when absent. */
  listenFds?: readonly number[];
}

/** How a process declared itself ready: IPC `ready`, a cluster worker listening, sd_notify READY=1, a line on READY_FD, a readiness probe passing. */
export type ReadyKind = 'ready' | 'listening' | 'notify' | 'fd' | 'probe';

export interface DriverEvents {
  /** The process ended. Called once. Output streams may still be draining. */
  exited(code: number | null, signal: NodeJS.Signals | null): void;
  /** The process declared itself ready: `process.send('ready')`, or `listening` for a cluster worker. */
  readyReceived(kind: ReadyKind): void;
  /** Any other IPC message from the app. */
  messageReceived(message: unknown): void;
}

/** A process named for good: its pid and its /proc start time in clock ticks. */
export interface ProcessRef {
  pid: number;
  startTimeTicks: number;
}

/** The holder a fork-mode app runs under (the app's parent), and its folder in TEND_HOME. */
export interface HolderRef extends ProcessRef {
  dir: string;
}

/** What a new daemon needs to take over an instance a previous daemon left running. */
export interface AdoptRecord {
  process: ProcessRef;
  holder: HolderRef;
}

export interface SpawnedInstance {
  pid: number;
  /** /proc start time of `pid` in clock ticks: with the pid, names this process for good. */
  startTimeTicks: number;
  /** Its holder, when it runs under one: persisted so a later daemon can adopt it. */
  holder?: HolderRef | null;
  /**
   * Resolves once the app has left its start gate (or its holder ended first): from then on a
   * daemon that dies leaves the app running. Absent when the app runs its own code at once.
   */
  released?: Promise<void>;
  /** The app's stdout and stderr; they end after the process and its pipe holders are gone. */
  stdout: Readable | null;
  stderr: Readable | null;
  /**
   * Ask the process to stop gracefully: a cluster worker is disconnected first; then
   * `signal`, or an IPC `shutdown` message when `withMessage` is set and IPC is open.
   */
  requestStop(signal: NodeJS.Signals, withMessage: boolean): void;
  /** Send a signal to the process itself (not its tree). */
  sendSignal(signal: NodeJS.Signals): void;
  /** Send an IPC message, if the process has a channel. Returns false when it has none. */
  send(message: unknown): boolean;
}

export interface InstanceDriver {
  /** Starts the process. Rejects with a TendError (SCRIPT_NOT_FOUND, ...) when it cannot. */
  spawn(request: SpawnRequest, events: DriverEvents): Promise<SpawnedInstance>;
  /**
   * Takes over a process a previous daemon left running (checked by the caller: pid, start
   * time and owner of the process and its holder). Its exit is reported as for a spawn.
   */
  adopt?(record: AdoptRecord, events: DriverEvents): SpawnedInstance;
  /** Releases whatever the driver holds for an app once it has no instances left. */
  releaseApp?(appName: string): Promise<void>;
}
