import type { Readable } from 'node:stream';
import type { DaemonChannel } from './daemon-channel.js';
import type { OutputStreamName } from './host-messages.js';

/**
 * How long the host waits, after a worker exited, for its stdout and stderr to end before it
 * reports the exit anyway (a grandchild may hold the pipes open).
 */
export const OUTPUT_END_BOUND_MS = 1000;

/**
 * Output sent to the daemon but not yet flushed, per stream, before the host stops reading
 * that pipe. Worker writes are blocking (drain-preload), so a paused pipe stalls the worker:
 * that should only happen when the daemon is far behind, not on a burst.
 */
export const MAX_IN_FLIGHT_BYTES = 8 * 1024 * 1024;

/**
 * Forwards one worker's stdout and stderr to the daemon as chunks, pausing a pipe while the
 * daemon channel is backlogged, and says when both ended so `exit` is sent after the last line
 * (a crashing worker's final writes are already in the pipe when it exits).
 */
export class WorkerOutput {
  readonly #key: number;
  readonly #channel: DaemonChannel;
  #openStreams = 0;
  #onAllEnded: (() => void) | null = null;

  constructor(key: number, channel: DaemonChannel, stdout: Readable | null, stderr: Readable | null) {
    this.#key = key;
    this.#channel = channel;
    this.#forward(stdout, 'out');
    this.#forward(stderr, 'err');
  }

  /** Calls `callback` once both streams ended, or after `boundMs`, whichever comes first. */
  whenEnded(boundMs: number, callback: () => void): void {
    let called = false;
    const once = (): void => {
      if (called) return;
      called = true;
      clearTimeout(timer);
      callback();
    };
    const timer = setTimeout(once, boundMs);
    if (this.#openStreams === 0) once();
    else this.#onAllEnded = once;
  }

  #forward(stream: Readable | null, name: OutputStreamName): void {
    if (stream === null) return;
    this.#openStreams += 1;
    let ended = false;
    const finish = (): void => {
      if (ended) return;
      ended = true;
      this.#channel.send({ t: 'outputEnd', key: this.#key, stream: name });
      this.#openStreams -= 1;
      if (this.#openStreams === 0) this.#onAllEnded?.();
    };
    let inFlightBytes = 0;
    stream.on('data', (chunk: Buffer) => {
      inFlightBytes += chunk.length;
      this.#channel.send({ t: 'output', key: this.#key, stream: name, data: chunk }, () => {
        inFlightBytes -= chunk.length;
        if (stream.isPaused() && inFlightBytes <= MAX_IN_FLIGHT_BYTES / 2) stream.resume();
      });
      if (inFlightBytes > MAX_IN_FLIGHT_BYTES) stream.pause();
    });
    stream.on('end', finish);
    stream.on('close', finish);
    // A read error on a worker pipe only means no more output from it.
    stream.on('error', finish);
  }
}
