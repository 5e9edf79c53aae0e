import type { Readable } from 'node:stream';
import type { DriverEvents, HolderRef, SpawnedInstance } from '../core/driver.js';
import type { DaemonToHost, HostToDaemon } from './host-protocol.js';

/** What a worker needs of its host: a way to send it a command. */
export interface HostLink {
  /** Sends a command; false when the host's channel is closed. */
  send(message: DaemonToHost): boolean;
}

/** The worker's output pipes, as the host handed them over (null when it could not). */
export interface WorkerPipes {
  stdout: Readable | null;
  stderr: Readable | null;
}

/**
 * The daemon's side of one cluster worker: the SpawnedInstance handed to the supervisor, fed
 * by the host's messages for this worker's key. Its stdout and stderr are the worker's own
 * pipes, read here as a fork-mode app's are.
 */
export class ClusterWorker implements SpawnedInstance {
  readonly pid: number;
  readonly startTimeTicks: number;
  readonly stdout: Readable | null;
  readonly stderr: Readable | null;
  readonly #key: number;
  readonly #host: HostLink;
  readonly #events: DriverEvents;
  readonly #readyKinds = new Set<'ready' | 'listening'>();
  #hasExited = false;

  constructor(
    key: number,
    pid: number,
    startTimeTicks: number,
    host: HostLink,
    events: DriverEvents,
    pipes: WorkerPipes,
    /** The host, and the worker's FIFO folder, when its output goes through FIFOs (adoptable). */
    readonly holder: HolderRef | null = null,
  ) {
    this.#key = key;
    this.stdout = pipes.stdout;
    this.stderr = pipes.stderr;
    this.pid = pid;
    this.startTimeTicks = startTimeTicks;
    this.#host = host;
    this.#events = events;
  }

  get hasExited(): boolean {
    return this.#hasExited;
  }

  requestStop(signal: NodeJS.Signals, withMessage: boolean): void {
    if (this.#hasExited) return;
    if (!this.#host.send({ t: 'stop', key: this.#key, signal, withMessage })) this.#killDirectly(signal);
  }

  sendSignal(signal: NodeJS.Signals): void {
    if (this.#hasExited) return;
    if (!this.#host.send({ t: 'signal', key: this.#key, signal })) this.#killDirectly(signal);
  }

  send(message: unknown): boolean {
    if (this.#hasExited) return false;
    return this.#host.send({ t: 'send', key: this.#key, message });
  }

  /** Routes one host message about this worker. */
  receive(message: HostToDaemon): void {
    switch (message.t) {
      case 'listening':
      case 'ready':
        // A worker may listen on several servers; the supervisor needs the fact once.
        if (this.#hasExited || this.#readyKinds.has(message.t)) return;
        this.#readyKinds.add(message.t);
        this.#events.readyReceived(message.t);
        return;
      case 'message':
        if (!this.#hasExited) this.#events.messageReceived(message.message);
        return;
      case 'exit':
        this.markExited(message.code, message.signal);
        return;
      default:
        return;
    }
  }

  /** Reports the exit once; also used when the host itself died under the worker. */
  markExited(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.#hasExited) return;
    this.#hasExited = true;
    this.#events.exited(code, signal);
  }

  /** The host cannot be reached (it is dying); signal the worker by pid as a last resort. */
  #killDirectly(signal: NodeJS.Signals): void {
    try {
      process.kill(this.pid, signal);
    } catch {
      // Already gone.
    }
  }
}
