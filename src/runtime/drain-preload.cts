/**
 * Loaded into every cluster worker with `--require` (CommonJS, so it runs before CJS and ESM
 * apps alike). It does nothing until the host sends the drain command; then it makes
 * `worker.disconnect()` lose no request for an app that handles no signals (DESIGN.md §3):
 * - every response gets `Connection: close`, so a keep-alive socket ends after its response;
 * - closing a server no longer destroys idle keep-alive sockets at once (Node's
 *   `closeIdleConnections` races a client that is just sending its next request); an idle
 *   socket is closed only after it stayed idle for DRAIN_IDLE_MS.
 * It touches nothing else of the app: no error handlers, no env, no 'message' listener (the
 * command arrives on Node's internal message event); stdout/stderr only become blocking pipes
 * (see stdio-blocking.cts).
 */
// A --require preload is CommonJS by necessity; this is TypeScript's CommonJS import form.
// eslint-disable-next-line @typescript-eslint/no-require-imports
import http = require('node:http');
import type { Socket } from 'node:net';
import './stdio-blocking.cjs';

const DRAIN_COMMAND = 'NODE_TEND_DRAIN';
/** A client under load sends its next request well within this; an idle one is let go. */
const DRAIN_IDLE_MS = 400;
const SWEEP_INTERVAL_MS = 100;

interface ConnectionsList {
  idle(): Array<{ socket: Socket | null }>;
}
interface PendingResponse {
  finished: boolean;
}

let isDraining = false;

function readConnections(server: http.Server): ConnectionsList | null {
  // Node keeps its per-server connection list under a private symbol (18.2+).
  const symbol = Object.getOwnPropertySymbols(server).find((s) => s.description === 'http.server.connections');
  if (symbol === undefined) return null;
  const list = (server as unknown as Record<symbol, unknown>)[symbol];
  return typeof list === 'object' && list !== null && 'idle' in list ? (list as ConnectionsList) : null;
}

function isIdle(socket: Socket): boolean {
  const response = (socket as unknown as { _httpMessage?: PendingResponse | null })._httpMessage;
  return response === null || response === undefined || response.finished;
}

/** Closes sockets that stay idle for DRAIN_IDLE_MS; stops when the server has none left. */
function sweepIdleSockets(server: http.Server, connections: ConnectionsList): void {
  const idleSince = new Map<Socket, number>();
  const timer = setInterval(() => {
    const now = Date.now();
    const seen = new Set<Socket>();
    for (const { socket } of connections.idle()) {
      if (socket === null || socket.destroyed || !isIdle(socket)) continue;
      seen.add(socket);
      const since = idleSince.get(socket) ?? now;
      idleSince.set(socket, since);
      if (now - since >= DRAIN_IDLE_MS) socket.destroy();
    }
    for (const socket of idleSince.keys()) if (!seen.has(socket)) idleSince.delete(socket);
    if (!server.listening && seen.size === 0 && connections.idle().length === 0) clearInterval(timer);
  }, SWEEP_INTERVAL_MS);
  // Never the reason the worker stays alive.
  timer.unref();
}

type CloseIdle = (this: http.Server) => void;

function patchCloseIdle(proto: { closeIdleConnections: CloseIdle }): void {
  const original = proto.closeIdleConnections;
  proto.closeIdleConnections = function closeIdleConnections(this: http.Server): void {
    const connections = isDraining ? readConnections(this) : null;
    if (connections === null) {
      original.call(this);
      return;
    }
    sweepIdleSockets(this, connections);
  };
}

type WriteHead = (this: http.ServerResponse, ...args: unknown[]) => unknown;

function patchWriteHead(proto: { writeHead: WriteHead }): void {
  const original = proto.writeHead;
  proto.writeHead = function writeHead(this: http.ServerResponse, ...args: unknown[]): unknown {
    // Node then writes `Connection: close` and ends the socket after this response.
    if (isDraining && !this.headersSent) this.shouldKeepAlive = false;
    return original.apply(this, args);
  };
}

// https.Server copies http's closeIdleConnections when it loads, which is after this preload,
// so patching http alone covers both.
patchCloseIdle(http.Server.prototype as unknown as { closeIdleConnections: CloseIdle });
patchWriteHead(http.ServerResponse.prototype as unknown as { writeHead: WriteHead });

/**
 * stdout/stderr of a worker are socketpairs to the host, and Node writes to them
 * asynchronously on Linux: once the socket buffer is full (about 280 small writes), writes
 * queue in the worker and `process.exit()` drops the queue, so the lines before a crash were
 * lost (measured: 280 of 500 lines in 2 runs of 5). Blocking writes, as Node already does for
 * files and TTYs, keep every line; the host reads eagerly so a worker only waits when the
 * daemon is far behind. Content, order and the stream objects are untouched.
 */

interface DrainMessage {
  cmd: string;
  signal: NodeJS.Signals | null;
}

function isDrainMessage(value: unknown): value is DrainMessage {
  return typeof value === 'object' && value !== null && (value as { cmd?: unknown }).cmd === DRAIN_COMMAND;
}

// 'internalMessage' is where Node's child_process routes `NODE_`-prefixed commands; it is not
// in @types/node, hence the widened emitter type.
(process as unknown as NodeJS.EventEmitter).on('internalMessage', (message: unknown) => {
  if (!isDrainMessage(message)) return;
  isDraining = true;
  // Only an app that listens for the signal gets it: Node's default action would exit at
  // once and cut in-flight requests, while disconnect lets them finish.
  // Node runs signal listeners as process.emit(signal, signal); doing it here, before the
  // disconnect that follows on the same channel, means the app's handler always runs (a real
  // signal could still be pending when the drained worker's event loop empties).
  if (message.signal !== null && process.listenerCount(message.signal) > 0) {
    process.emit(message.signal, message.signal);
  } else if (message.signal !== null) {
    exitWhenDrainedAndStillAlive(message.signal);
  }
});

/** Time for a drained worker to leave on its own before its kill signal ends it. */
const DRAINED_EXIT_GRACE_MS = 100;

/**
 * The disconnect that follows completes once this worker's servers have closed and their
 * in-flight requests ended. A worker still alive then is held only by other handles (a timer,
 * a database pool): the signal's default action ends it now, instead of a SIGKILL when
 * kill_timeout runs out. The timer is unref'd so it never keeps the worker alive by itself.
 */
function exitWhenDrainedAndStillAlive(signal: NodeJS.Signals): void {
  process.once('disconnect', () => {
    setTimeout(() => process.kill(process.pid, signal), DRAINED_EXIT_GRACE_MS).unref();
  });
}
