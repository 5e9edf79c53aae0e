import type { Socket } from 'node:net';
import type { HostToDaemon } from './host-messages.js';

/**
 * The host's channel to the daemon: the IPC channel of the daemon that spawned it, or, once that
 * daemon is gone, a connection a later daemon made to the host's control socket (newline-
 * delimited JSON; an app message that is not JSON is dropped there). When the daemon dies the
 * channel closes and the host keeps serving, so a send must never throw or emit an unhandled
 * 'error': every send carries a callback, and sends with no daemon connected are dropped.
 */
export class DaemonChannel {
  #connected = typeof process.send === 'function' && process.connected;
  #socket: Socket | null = null;

  /**
   * Makes `socket` (a later daemon's connection) the channel; its messages go to `onMessage`.
   * A newer connection replaces an older one.
   */
  attachSocket(socket: Socket, onMessage: (message: unknown) => void): void {
    this.#socket?.destroy();
    this.#socket = socket;
    socket.on('error', () => undefined);
    socket.on('close', () => {
      if (this.#socket === socket) this.#socket = null;
    });
    let buffered = '';
    socket.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      for (let end = buffered.indexOf('\n'); end !== -1; end = buffered.indexOf('\n')) {
        const line = buffered.slice(0, end);
        buffered = buffered.slice(end + 1);
        try {
          onMessage(JSON.parse(line));
        } catch {
          // Not a message: ignored.
        }
      }
    });
  }

  constructor() {
    process.on('disconnect', () => {
      this.#connected = false;
    });
  }

  get isConnected(): boolean {
    return this.#socket !== null || (this.#connected && process.connected);
  }

  /**
   * Sends a message. `onFlushed` runs once the message left (or was dropped), which output
   * forwarding uses as backpressure. Returns false when the caller should wait for it.
   */
  send(message: HostToDaemon, onFlushed?: () => void): boolean {
    return this.#send(message, undefined, onFlushed);
  }

  /**
   * Sends a message with a socket (a worker's output pipe). The host keeps its own copy open,
   * unread, so the pipe has a reader again should the daemon die (see OutputPipes).
   */
  sendPipe(message: HostToDaemon, pipe: Socket, onSent: () => void): boolean {
    return this.#send(message, pipe, onSent);
  }

  #send(message: HostToDaemon, pipe: Socket | undefined, onFlushed?: () => void): boolean {
    const done = (): void => onFlushed?.();
    if (this.#socket !== null && pipe === undefined) {
      let line: string;
      try {
        line = `${JSON.stringify(message)}\n`;
      } catch {
        done();
        return true;
      }
      return this.#socket.write(line, () => done());
    }
    if (!this.#connected || !process.connected || process.send === undefined) {
      done();
      return true;
    }
    try {
      return process.send(message, pipe, { keepOpen: true }, () => done());
    } catch {
      // The channel closed between the check and the write.
      this.#connected = false;
      done();
      return true;
    }
  }
}
