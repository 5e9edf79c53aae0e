import type { Socket } from 'node:net';
import type { HostToDaemon } from './host-messages.js';

/**
 * The host's IPC channel to the daemon. When the daemon dies the channel closes and the host
 * keeps serving (the next daemon finds and replaces it), so a send must never throw or emit
 * an unhandled 'error': every send carries a callback, and sends after disconnect are dropped.
 */
export class DaemonChannel {
  #connected = typeof process.send === 'function' && process.connected;

  constructor() {
    process.on('disconnect', () => {
      this.#connected = false;
    });
  }

  get isConnected(): boolean {
    return this.#connected && process.connected;
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
    if (!this.isConnected || process.send === undefined) {
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
