import { connect, type Socket } from 'node:net';
import { createInterface } from 'node:readline';
import { isHostToDaemon, type HeldWorker, type HostToDaemon } from './host-protocol.js';

/** How long a new daemon waits for an old host to answer on its control socket. */
const CONNECT_TIMEOUT_MS = 2000;

/** A connection to a host's control socket, once the host said which workers it holds. */
export interface HostConnection {
  socket: Socket;
  workers: HeldWorker[];
  /**
   * Sends every later message to `route`, those that came already first. Until called they
   * wait: none may be lost between the handshake and the host object taking over.
   */
  routeTo(route: (message: HostToDaemon) => void): void;
}

/**
 * Connects to a host a previous daemon left (its control socket, newline-delimited JSON). Its
 * first message names the workers it holds. Null when it does not answer in time.
 */
export async function connectToHost(path: string): Promise<HostConnection | null> {
  const socket = connect(path);
  const early: HostToDaemon[] = [];
  let route: ((message: HostToDaemon) => void) | null = null;
  const workers = await new Promise<HeldWorker[] | null>((resolve) => {
    const timer = setTimeout(() => resolve(null), CONNECT_TIMEOUT_MS);
    socket.once('error', () => resolve(null));
    socket.once('close', () => resolve(null));
    createInterface({ input: socket, crlfDelay: Infinity }).on('line', (line) => {
      const message = parseHostMessage(line);
      if (message === null) return;
      if (message.t === 'workers') {
        clearTimeout(timer);
        resolve(message.workers);
      } else if (route !== null) route(message);
      else early.push(message);
    });
  });
  if (workers === null || socket.destroyed) {
    socket.destroy();
    return null;
  }
  return {
    socket,
    workers,
    routeTo(next) {
      route = next;
      for (const message of early.splice(0)) next(message);
    },
  };
}

/** One line of the control socket as a host message, or null. */
function parseHostMessage(line: string): HostToDaemon | null {
  try {
    const message: unknown = JSON.parse(line);
    return isHostToDaemon(message) ? message : null;
  } catch {
    return null;
  }
}
