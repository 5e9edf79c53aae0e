/**
 * The cluster host: one small `node:cluster` primary per cluster app, spawned by the daemon
 * with an IPC channel (DESIGN.md §1). It forks the app's workers on request, hands their
 * output pipes to the daemon, forwards their readiness, messages and exits, and drains them
 * on stop. It never carries traffic
 * for the daemon, and it outlives a daemon that dies (the next one finds and replaces it).
 *
 * Started by path (dist/runtime/cluster-host.js): Node built-ins and its own folder only.
 */
import cluster, { type Worker } from 'node:cluster';
import { closeSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { DaemonChannel } from './daemon-channel.js';
import { isDaemonToHost, type DaemonToHost, type HeldWorker, type HostSetupMessage } from './host-messages.js';
import { signalWorker, sendToWorker, stopWorker } from './worker-control.js';
import { OutputPipes } from './output-pipes.js';
import { WorkerFifos } from './worker-fifos.js';

const DRAIN_PRELOAD_PATH = fileURLToPath(new URL('./drain-preload.cjs', import.meta.url));

// Set by the daemon when workers' output goes through FIFOs in TEND_HOME and the host listens on
// a control socket there, so that a later daemon can take it over.
const { TEND_HOLDERS_DIR: holdersDir, TEND_MKFIFO: mkfifo, TEND_HOST_SOCKET: controlSocket } = process.env;

// cluster.fork merges process.env under the env it is given; emptying ours makes each
// worker's environment exactly what the daemon sent (plus NODE_UNIQUE_ID).
for (const name of Object.keys(process.env)) delete process.env[name];

// Our stdout/stderr are pipes to the daemon; if it died, a stray warning must not kill us.
process.stdout.on('error', () => undefined);
process.stderr.on('error', () => undefined);

const channel = new DaemonChannel();
const outputPipes = new OutputPipes(channel);
const fifos = holdersDir && mkfifo ? new WorkerFifos(holdersDir, mkfifo) : null;
const workers = new Map<number, Worker>();
/** Workers whose output FIFOs the host holds, until the daemon releases them (FIFO mode). */
const held = new Map<number, HeldWorker>();
let isSetUp = false;
let isShuttingDown = false;

function setUp(message: HostSetupMessage): void {
  cluster.setupPrimary({
    exec: message.script,
    args: message.args,
    execArgv: [...message.execArgv, '--require', DRAIN_PRELOAD_PATH],
    cwd: message.cwd,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    ...(message.uid === null ? {} : { uid: message.uid }),
    ...(message.gid === null ? {} : { gid: message.gid }),
  });
  isSetUp = true;
}

function exitIfDone(): void {
  if (isShuttingDown && workers.size === 0) process.exit(0);
}

function forkWorker(key: number, env: Record<string, string>): void {
  if (!isSetUp || isShuttingDown) {
    channel.send({ t: 'forkFailed', key, error: isSetUp ? 'cluster host is shutting down' : 'cluster host not set up' });
    return;
  }
  if (fifos === null) {
    startWorker(key, env, null);
    return;
  }
  fifos.create(key).then(
    (made) => startWorker(key, env, made),
    (error: unknown) => channel.send({ t: 'forkFailed', key, error: `output FIFOs: ${error instanceof Error ? error.message : String(error)}` }),
  );
}

function startWorker(key: number, env: Record<string, string>, made: { dir: string; out: number; err: number } | null): void {
  if (made !== null) cluster.setupPrimary({ stdio: ['ignore', made.out, made.err, 'ipc'] });
  let worker: Worker;
  try {
    worker = cluster.fork(env);
  } catch (error) {
    releaseFifos(key, made);
    channel.send({ t: 'forkFailed', key, error: error instanceof Error ? error.message : String(error) });
    return;
  } finally {
    // The worker has its copies; the host keeps only the read ends.
    if (made !== null) for (const fd of [made.out, made.err]) closeSync(fd);
  }
  const spawnError: { message: string | null } = { message: null };
  // Without a listener a spawn error (bad cwd, EACCES) would be thrown in the host.
  worker.on('error', (error: Error) => {
    spawnError.message = error.message;
  });
  const pid = worker.process.pid;
  if (pid === undefined) {
    releaseFifos(key, made);
    setImmediate(() => channel.send({ t: 'forkFailed', key, error: spawnError.message ?? 'spawn failed' }));
    return;
  }
  workers.set(key, worker);
  if (made === null) outputPipes.handOver(key, worker.process.stdout, worker.process.stderr);
  else {
    held.set(key, { key, pid, dir: made.dir, exit: null });
    channel.send({ t: 'outputFifo', key, dir: made.dir });
  }
  channel.send({ t: 'forked', key, pid });
  watchWorker(key, worker);
}

function releaseFifos(key: number, made: { dir: string } | null): void {
  if (made === null) return;
  fifos?.release(key);
  try {
    rmSync(made.dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 20 });
  } catch {
    // Holds no process; the host goes on serving.
  }
}

function watchWorker(key: number, worker: Worker): void {
  worker.on('listening', () => channel.send({ t: 'listening', key }));
  worker.on('message', (message: unknown) => {
    if (message === 'ready') channel.send({ t: 'ready', key });
    else channel.send({ t: 'message', key, message });
  });
  worker.on('exit', (code: number | null, signal: NodeJS.Signals | null) => {
    outputPipes.release(key);
    const entry = held.get(key);
    if (entry !== undefined) entry.exit = { code, signal };
    workers.delete(key);
    channel.send({ t: 'exit', key, code, signal });
    exitIfDone();
  });
}

function handle(message: DaemonToHost): void {
  switch (message.t) {
    case 'setup':
      setUp(message);
      return;
    case 'fork':
      forkWorker(message.key, message.env);
      return;
    case 'shutdown':
      isShuttingDown = true;
      exitIfDone();
      return;
    case 'release':
      held.delete(message.key);
      fifos?.release(message.key);
      return;
    default:
      break;
  }
  const worker = workers.get(message.key);
  if (worker === undefined) return;
  if (message.t === 'stop') stopWorker(worker, message.signal, message.withMessage);
  else if (message.t === 'signal') signalWorker(worker, message.signal);
  else sendToWorker(worker, message.message);
}

function receive(raw: unknown): void {
  if (isDaemonToHost(raw)) handle(raw);
}

process.on('message', receive);

// A later daemon connects here to take the host over: it learns every worker held, then the
// connection is the channel (see DaemonChannel).
if (controlSocket) {
  const server = createServer((socket) => {
    channel.attachSocket(socket, receive);
    channel.send({ t: 'workers', key: -1, workers: [...held.values()] });
  });
  server.on('error', () => undefined);
  server.listen(controlSocket);
  server.unref();
  process.on('exit', () => rmSync(controlSocket, { force: true }));
}
