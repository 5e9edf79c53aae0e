import type { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import type { DaemonChannel } from './daemon-channel.js';
import type { OutputStreamName } from './host-messages.js';

/**
 * A worker's stdout and stderr go to the daemon as pipes (their handles sent over the IPC
 * channel), so the daemon reads them as it reads a fork-mode app's: every byte crosses one
 * pipe, and a daemon that writes slowly holds the worker back through that pipe instead of
 * collecting its output in memory. Forwarding chunks through the host cost the daemon ~75%
 * more CPU on a 2M-line flood (~360 vs ~205 ms) and had no such backpressure.
 *
 * The host keeps its own copy of each pipe open and unread. Should the daemon die, the host
 * starts reading and discarding from them, so workers that log keep serving (a pipe nobody
 * reads would block them, a closed one would fail their writes) until the next daemon
 * replaces them.
 */
export class OutputPipes {
  readonly #channel: DaemonChannel;
  readonly #held = new Map<number, HeldPipe[]>();
  #isDraining = false;

  constructor(channel: DaemonChannel) {
    this.#channel = channel;
    process.on('disconnect', () => this.#drainAll());
  }

  /** Sends the worker's pipes to the daemon; call before `forked`, in the tick of the fork. */
  handOver(key: number, stdout: Readable | null, stderr: Readable | null): void {
    const held: HeldPipe[] = [];
    for (const [stream, pipe] of [['out', stdout], ['err', stderr]] as const) {
      if (pipe === null) continue;
      const socket = pipe as Socket;
      // Not a byte of it may be read here: anything this end took would never reach the daemon.
      stopReading(socket);
      socket.on('error', () => undefined);
      const entry: HeldPipe = { socket, isSent: false, isReleased: false };
      held.push(entry);
      this.#channel.sendPipe({ t: 'outputPipe', key, stream: stream satisfies OutputStreamName }, socket, () => {
        entry.isSent = true;
        if (entry.isReleased) socket.destroy();
      });
    }
    this.#held.set(key, held);
    if (this.#isDraining) for (const { socket } of held) readAndDiscard(socket);
  }

  /**
   * The worker exited: closes the host's copies (the daemon's stay open until it read them).
   * A copy whose handle is still queued on the channel (a worker that died at once, a busy
   * daemon) is closed once it has been sent, or its last lines would never reach the daemon.
   */
  release(key: number): void {
    for (const entry of this.#held.get(key) ?? []) {
      entry.isReleased = true;
      if (entry.isSent) entry.socket.destroy();
    }
    this.#held.delete(key);
  }

  #drainAll(): void {
    this.#isDraining = true;
    for (const pipes of this.#held.values()) for (const { socket } of pipes) readAndDiscard(socket);
  }
}

interface HeldPipe {
  socket: Socket;
  /** The channel has written its handle (so closing this copy loses nothing). */
  isSent: boolean;
  isReleased: boolean;
}

interface PipeHandle {
  reading?: boolean;
  readStart?: () => number;
  readStop?: () => number;
}

function handleOf(socket: Socket): PipeHandle | null {
  return (socket as unknown as { _handle?: PipeHandle | null })._handle ?? null;
}

/**
 * Stops a pipe's reads at the handle: Node starts reading a child's stdio pipe as soon as it
 * wraps it, and pausing the stream alone stops that only once its buffer is full.
 */
function stopReading(socket: Socket): void {
  socket.pause();
  const handle = handleOf(socket);
  if (handle === null || typeof handle.readStop !== 'function') return;
  handle.reading = false;
  handle.readStop();
}

/**
 * Reads the pipe again, into nothing. The handle is restarted directly: the stream still
 * counts the read it started before stopReading as pending, so resume() alone never reads.
 */
function readAndDiscard(socket: Socket): void {
  socket.resume();
  const handle = handleOf(socket);
  if (handle === null || handle.reading === true || typeof handle.readStart !== 'function') return;
  handle.reading = true;
  handle.readStart();
}
