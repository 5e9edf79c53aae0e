import { PassThrough } from 'node:stream';
import type { DriverEvents, SpawnedInstance } from '../core/driver.js';
import type { DaemonToHost, HostToDaemon, OutputStreamName } from './host-protocol.js';

/** What a worker needs of its host: a way to send it a command. */
export interface HostLink {
  /** Sends a command; false when the host's channel is closed. */
  send(message: DaemonToHost): boolean;
}

/**
 * The daemon's side of one cluster worker: the SpawnedInstance handed to the supervisor, fed
 * by the host's messages for this worker's key.
 */
export class ClusterWorker implements SpawnedInstance {
  readonly pid: number;
  readonly startTimeTicks: number;
  readonly stdout = new PassThrough();
  readonly stderr = new PassThrough();
  readonly #key: number;
  readonly #host: HostLink;
  readonly #events: DriverEvents;
  readonly #readyKinds = new Set<'ready' | 'listening'>();
  #hasExited = false;

  constructor(key: number, pid: number, startTimeTicks: number, host: HostLink, events: DriverEvents) {
    this.#key = key;
    this.pid = pid;
    this.startTimeTicks = startTimeTicks;
    this.#host = host;
    this.#events = events;
  }

  get hasExited(): boolean {
    return this.#hasExited;
  }

  /** True once the process is gone and both output streams ended: nothing more will come. */
  get isFinished(): boolean {
    return this.#hasExited && this.stdout.writableEnded && this.stderr.writableEnded;
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
      case 'output': {
        const stream = this.#streamFor(message.stream);
        const { buffer, byteOffset, byteLength } = message.data;
        if (!stream.writableEnded) stream.write(Buffer.from(buffer, byteOffset, byteLength));
        return;
      }
      case 'outputEnd':
        this.#streamFor(message.stream).end();
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

  /** Ends both streams (the host is gone, so no more output can arrive). */
  endOutput(): void {
    if (!this.stdout.writableEnded) this.stdout.end();
    if (!this.stderr.writableEnded) this.stderr.end();
  }

  #streamFor(name: OutputStreamName): PassThrough {
    return name === 'out' ? this.stdout : this.stderr;
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
